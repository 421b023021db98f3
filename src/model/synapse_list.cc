#include "model/synapse_list.h"

#include <charconv>
#include <cmath>
#include <fmt/format.h>
#include <string_view>
#include <unordered_map>

#include "neurevo/error.h"

namespace neurevo {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> SplitCells(std::string_view line) {
  std::vector<std::string_view> cells;
  for (;;) {
    const size_t comma = line.find(',');
    cells.push_back(Trim(line.substr(0, comma)));
    if (comma == std::string_view::npos) return cells;
    line.remove_prefix(comma + 1);
  }
}

// A cell as messages quote it (Echo: control characters escaped, long cells cut).
std::string Quote(std::string_view cell) { return fmt::format("'{}'", Echo(cell)); }

// A neuron of `pop` by index or label.
class NeuronNames {
 public:
  explicit NeuronNames(const PopulationSpec& pop) : pop_(pop) {
    for (size_t i = 0; i < pop.labels.size(); ++i) index_.emplace(pop.labels[i], static_cast<int>(i));
  }
  // -1 if `cell` names no neuron of the population.
  int Find(std::string_view cell) const {
    int i = -1;
    const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), i);
    if (ec == std::errc() && end == cell.data() + cell.size()) return i >= 0 && i < pop_.size ? i : -1;
    const auto it = index_.find(std::string(cell));
    return it == index_.end() ? -1 : it->second;
  }

 private:
  const PopulationSpec& pop_;
  std::unordered_map<std::string, int> index_;
};

std::optional<double> Number(std::string_view cell, const std::string& where, const char* column) {
  if (cell.empty()) return std::nullopt;
  double x = 0.0;
  const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), x);
  if (ec != std::errc() || end != cell.data() + cell.size() || !std::isfinite(x))
    throw ConfigError(fmt::format("{}: {} {} is not a finite number", where, column, Quote(cell)));
  return x;
}

}  // namespace

std::vector<ListedSynapse> ParseSynapseList(const std::string& text, const std::string& path,
                                            const PopulationSpec& pre, const PopulationSpec& post,
                                            SynapseKind kind) {
  enum Column { kPre, kPost, kWeight, kDelay, kKind, kColumns };
  static constexpr const char* kNames[kColumns] = {"pre", "post", "weight", "delay", "kind"};
  int column_of[kColumns] = {-1, -1, -1, -1, -1};
  const NeuronNames pre_names(pre), post_names(post);
  const char* own_kind = kind == SynapseKind::kChemical ? "chemical" : "electrical";
  std::vector<ListedSynapse> rows;
  bool have_header = false;
  size_t n_columns = 0;
  int line_no = 0;
  std::string_view rest(text);
  while (!rest.empty()) {
    const size_t eol = rest.find('\n');
    const std::string_view line = Trim(rest.substr(0, eol));
    rest.remove_prefix(eol == std::string_view::npos ? rest.size() : eol + 1);
    ++line_no;
    if (line.empty() || line.front() == '#') continue;
    const std::string where = fmt::format("{}:{}", path, line_no);
    const std::vector<std::string_view> cells = SplitCells(line);
    if (!have_header) {
      for (size_t c = 0; c < cells.size(); ++c) {
        int k = 0;
        while (k < kColumns && cells[c] != kNames[k]) ++k;
        if (k == kColumns)
          throw ConfigError(fmt::format("{}: unknown column {} (allowed: pre, post, weight, delay, kind)",
                                        where, Quote(cells[c])));
        if (column_of[k] >= 0) throw ConfigError(fmt::format("{}: column '{}' appears twice", where, kNames[k]));
        column_of[k] = static_cast<int>(c);
      }
      if (column_of[kPre] < 0 || column_of[kPost] < 0)
        throw ConfigError(fmt::format("{}: the header must name the columns pre and post", where));
      n_columns = cells.size();
      have_header = true;
      continue;
    }
    if (cells.size() != n_columns)
      throw ConfigError(fmt::format("{}: {} cells, the header has {}", where, cells.size(), n_columns));
    const auto cell = [&](Column k) { return column_of[k] < 0 ? std::string_view() : cells[column_of[k]]; };
    if (column_of[kKind] >= 0) {
      const std::string_view k = cell(kKind);
      if (k != "chemical" && k != "electrical")
        throw ConfigError(fmt::format("{}: kind {} is not chemical or electrical", where, Quote(k)));
      if (k != own_kind) continue;
    }
    ListedSynapse s;
    s.line = line_no;
    s.pre = pre_names.Find(cell(kPre));
    if (s.pre < 0)
      throw ConfigError(fmt::format("{}: pre {} is not a neuron of population '{}' (0 .. {} or a label)", where,
                                    Quote(cell(kPre)), pre.name, pre.size - 1));
    s.post = post_names.Find(cell(kPost));
    if (s.post < 0)
      throw ConfigError(fmt::format("{}: post {} is not a neuron of population '{}' (0 .. {} or a label)",
                                    where, Quote(cell(kPost)), post.name, post.size - 1));
    if (const auto w = Number(cell(kWeight), where, "weight")) {
      if (kind == SynapseKind::kElectrical && *w < 0)
        throw ConfigError(fmt::format("{}: a gap junction's weight is a conductance (>= 0), not {}", where, *w));
      if (kind == SynapseKind::kChemical) {
        const bool inhibitory = pre.DaleOf(s.pre) == DaleType::kInhibitory;
        if ((inhibitory && *w > 0) || (!inhibitory && *w < 0))
          throw ConfigError(fmt::format(
              "{}: weight {} contradicts Dale's law: presynaptic neuron {} of '{}' is {} (weights {})", where, *w,
              cell(kPre), pre.name, inhibitory ? "inhibitory" : "excitatory", inhibitory ? "<= 0" : ">= 0"));
      }
      s.weight = std::abs(*w);
    }
    if (const auto d = Number(cell(kDelay), where, "delay")) {
      if (*d < 0) throw ConfigError(fmt::format("{}: delay {} ms is negative", where, *d));
      s.delay_ms = *d;
    }
    rows.push_back(s);
  }
  if (!have_header) throw ConfigError(fmt::format("{}: no header line (columns pre, post[, weight, delay, kind])", path));
  return rows;
}

}  // namespace neurevo

#include "neurevo/genome_layout.h"

namespace neurevo {

namespace {
// Per-gene ranges are written as lists in place of the family's low and high.
nlohmann::json FamilyHeader(const GeneFamily& f) {
  nlohmann::json j = {{"name", f.name}, {"unit", f.unit}, {"offset", f.offset},
                      {"size", f.size}, {"low", f.low},   {"high", f.high}};
  if (!f.lows.empty()) j["low"] = f.lows;
  if (!f.highs.empty()) j["high"] = f.highs;
  return j;
}
}  // namespace

nlohmann::json GenomeLayout::ToJson() const {
  nlohmann::json families = nlohmann::json::array();
  for (const auto& f : families_) {
    auto j = FamilyHeader(f);
    if (!f.labels.empty()) j["labels"] = f.labels;
    families.push_back(std::move(j));
  }
  return {{"size", size_}, {"families", families}};
}

nlohmann::json GenomeLayout::GenomeToJson(std::span<const double> genome) const {
  nlohmann::json families = nlohmann::json::array();
  for (const auto& f : families_) {
    auto j = FamilyHeader(f);
    std::vector<double> genes(genome.begin() + f.offset, genome.begin() + f.offset + f.size);
    std::vector<double> values(f.size);
    for (int i = 0; i < f.size; ++i) values[i] = Value(f, genome, i);
    j["genes"] = genes;
    j["values"] = values;
    if (!f.labels.empty()) j["labels"] = f.labels;
    families.push_back(std::move(j));
  }
  return {{"size", size_},
          {"genes", std::vector<double>(genome.begin(), genome.end())},
          {"families", families}};
}

}  // namespace neurevo

// A genome layout names the evolvable parameters.
//
// A genome is a flat vector of genes living in the unit box [0, 1]. The layout
// splits it into named families (weights, delays, offsets, noise, ...); each
// family maps a gene u linearly to its physical range [low, high]. Optimizer
// samples are unbounded, so genes outside the box are first folded back into
// it by reflection (a triangle wave of period 2, identity inside the box, in
// the spirit of pycma's BoundTransform): unlike clipping, no direction of the
// search space becomes flat, so a distribution centred outside the box still
// explores. Saved genomes carry their layout, so a genome file stays
// readable on its own.
#pragma once

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

namespace neurevo {

struct GeneFamily {
  std::string name;   // e.g. "weights"
  std::string unit;   // physical unit, e.g. "nS"
  int offset = 0;     // first gene of the family in the genome
  int size = 0;       // number of genes
  double low = 0.0;   // physical value at u = 0
  double high = 1.0;  // physical value at u = 1
  std::vector<std::string> labels;  // optional per-gene names (e.g. "E->out.weight[3]")
  // The model uses the value rounded to a whole number (delays in substeps).
  bool whole = false;
  // Per-gene ranges where they differ within the family (projections or
  // populations with their own ranges); empty: every gene maps to [low, high].
  std::vector<double> lows, highs;
};

class GenomeLayout {
 public:
  // Appends a family; returns its index.
  int Add(GeneFamily family) {
    family.offset = size_;
    size_ += family.size;
    families_.push_back(std::move(family));
    return static_cast<int>(families_.size()) - 1;
  }
  int size() const { return size_; }
  const std::vector<GeneFamily>& families() const { return families_; }
  // Family by name, or nullptr.
  const GeneFamily* Find(const std::string& name) const {
    for (const auto& f : families_)
      if (f.name == name) return &f;
    return nullptr;
  }

  // Folds any real gene into [0, 1]; non-finite genes read as 0.5.
  static double Fold(double u) {
    if (!std::isfinite(u)) return 0.5;
    if (u >= 0.0 && u <= 1.0) return u;
    const double t = u - 2.0 * std::floor(u / 2.0);  // in [0, 2)
    return t <= 1.0 ? t : 2.0 - t;
  }
  // d Fold(u) / du: +1 where the fold runs up, -1 where it runs back down,
  // 0 for a non-finite gene (gradient training chains through it).
  static double FoldSlope(double u) {
    if (!std::isfinite(u)) return 0.0;
    const double t = u - 2.0 * std::floor(u / 2.0);  // in [0, 2)
    return t <= 1.0 ? 1.0 : -1.0;
  }
  // Physical value of gene i of family f.
  static double Map(const GeneFamily& f, std::span<const double> genome, int i) {
    const double low = f.lows.empty() ? f.low : f.lows[i], high = f.highs.empty() ? f.high : f.highs[i];
    return low + (high - low) * Fold(genome[f.offset + i]);
  }

  // The value the model uses: Map(), rounded to the nearest whole number
  // (half away from zero) and kept in [low, high] for a whole family.
  static double Value(const GeneFamily& f, std::span<const double> genome, int i) {
    const double x = Map(f, genome, i);
    if (!f.whole) return x;
    const double low = f.lows.empty() ? f.low : f.lows[i], high = f.highs.empty() ? f.high : f.highs[i];
    return std::clamp(static_cast<double>(std::lround(x)), low, high);
  }

  // {"families": [{name, unit, offset, size, low, high, labels?}], "size": n}
  nlohmann::json ToJson() const;
  // Genome with its layout: families with their genes and the physical
  // values the model uses (Value()).
  nlohmann::json GenomeToJson(std::span<const double> genome) const;

 private:
  std::vector<GeneFamily> families_;
  int size_ = 0;
};

}  // namespace neurevo

// ENOMAD hybrid: GA outer loop with sign-preserving MADS refinement on random
// coordinate subsets (Li et al., ENOMAD on the C. elegans connectome;
// Audet & Dennis 2006; Abramson et al. 2009). See enomad.h.
#include "optim/enomad.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "neurevo/error.h"
#include "neurevo/random.h"
#include "optim/mads.h"
#include "optim/state_json.h"
#include "optim/state_invariants.h"

namespace neurevo {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

double Ordered(double f) { return std::isnan(f) ? -kInf : f; }

nlohmann::json Number(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }
double FromNumber(const nlohmann::json& j) { return j.is_null() ? -kInf : j.get<double>(); }

}  // namespace

Enomad::Enomad(const OptimizerOptions& options, int dimension, uint64_t seed,
               std::vector<double> initial_mean)
    : Strategy("enomad", dimension, seed),
      lambda_(options.population),
      truncation_(options.parents > 0 ? options.parents : std::max(1, options.population / 2)),
      elites_(options.elites),
      crossover_(options.crossover < 0.0 ? 0.5 : options.crossover),
      sigma_(options.sigma0),
      refine_count_(std::min(options.enomad_refine, options.population)),
      iterations_(options.mads_iterations),
      mutation_(options.enomad_mutation < 0.0 ? options.sigma0 : options.enomad_mutation),
      reset_genes_(std::min(options.enomad_reset_genes, dimension)),
      fitness_parents_(options.enomad_parents == "fitness"),
      changed_subsets_(options.enomad_subset_mode == "changed"),
      penalty_(options.enomad_penalty),
      penalty_power_(options.enomad_penalty_power) {
  if (static_cast<int>(initial_mean.size()) != n_)
    throw std::invalid_argument("Enomad: initial mean has the wrong size");
  const double root = std::sqrt(static_cast<double>(n_));
  if (options.enomad_variant == "few_large") {
    subset_ = std::min(n_, std::max(1, static_cast<int>(std::ceil(root / 4.0))));
    poll0_ = 2.0 * options.sigma0;
  } else {
    subset_ = std::min(n_, std::max(1, static_cast<int>(std::ceil(2.0 * root))));
    poll0_ = options.sigma0 / 4.0;
  }
  if (options.enomad_subset > 0) subset_ = std::min(n_, options.enomad_subset);
  if (options.mads_poll0 > 0.0) poll0_ = options.mads_poll0;
  best_ = Eigen::Map<const Eigen::VectorXd>(initial_mean.data(), n_);
  origin_ = best_;
  best_f_ = -kInf;
  population_.resize(n_, lambda_);
  population_.col(0) = best_;
  for (int k = 1; k < lambda_; ++k) {
    RandomStream rng(seed_, 0, static_cast<uint64_t>(k), 0, StreamPurpose::kOptimizer);
    for (int i = 0; i < n_; ++i) population_(i, k) = mutation_ > 0.0 ? best_(i) + mutation_ * rng.Normal() : best_(i);
  }
}

int Enomad::Changed(const Eigen::MatrixXd& m, Eigen::Index k) const {
  int changed = 0;
  for (int i = 0; i < n_; ++i) changed += m(i, k) != origin_(i);
  return changed;
}

Eigen::Index Enomad::FrameOffset(size_t frame) const {
  Eigen::Index offset = 0;
  for (size_t j = 0; j < frame; ++j) offset += 2 * static_cast<Eigen::Index>(frames_[j].coords.size());
  return offset;
}

int Enomad::population() const {
  return refining_ ? static_cast<int>(FrameOffset(frames_.size())) : lambda_;
}

void Enomad::EnsureCandidates() {
  if (has_candidates_) return;
  if (!refining_) {
    candidates_ = population_;
  } else {
    candidates_.resize(n_, population());
    for (size_t j = 0; j < frames_.size(); ++j) {
      RandomStream rng(seed_, static_cast<uint64_t>(generation_), j, kMadsPollChannel,
                       StreamPurpose::kOptimizer);
      candidates_.middleCols(FrameOffset(j), 2 * static_cast<Eigen::Index>(frames_[j].coords.size())) =
          frames_[j].PollPoints(rng);
    }
  }
  has_candidates_ = true;
}

std::vector<std::vector<double>> Enomad::Ask() {
  EnsureCandidates();
  std::vector<std::vector<double>> out(static_cast<size_t>(candidates_.cols()));
  for (Eigen::Index k = 0; k < candidates_.cols(); ++k)
    out[static_cast<size_t>(k)].assign(candidates_.col(k).data(), candidates_.col(k).data() + n_);
  return out;
}

void Enomad::ReplaceCandidate(int index, std::span<const double> x) {
  EnsureCandidates();
  if (index < 0 || index >= candidates_.cols() || static_cast<int>(x.size()) != n_)
    throw std::invalid_argument("Enomad::ReplaceCandidate: bad index or dimension");
  candidates_.col(index) = Eigen::Map<const Eigen::VectorXd>(x.data(), n_);
  if (!refining_) population_.col(index) = candidates_.col(index);
}

void Enomad::Tell(std::span<const double> raw_fitness) {
  EnsureCandidates();
  if (static_cast<Eigen::Index>(raw_fitness.size()) != candidates_.cols()) {
    throw std::invalid_argument("Enomad::Tell: expected " + std::to_string(candidates_.cols()) +
                                " fitness values, got " + std::to_string(raw_fitness.size()));
  }
  // The change-count penalty: what the search sees.
  std::vector<double> penalised(raw_fitness.begin(), raw_fitness.end());
  if (penalty_ > 0.0)
    for (Eigen::Index k = 0; k < candidates_.cols(); ++k)
      penalised[static_cast<size_t>(k)] -= penalty_ * std::pow(static_cast<double>(Changed(candidates_, k)), penalty_power_);
  const std::span<const double> fitness = penalised;
  for (Eigen::Index k = 0; k < candidates_.cols(); ++k) {
    const double f = Ordered(fitness[static_cast<size_t>(k)]);
    if (f > best_f_) {
      best_f_ = f;
      best_ = candidates_.col(k);
    }
  }
  if (!refining_) {
    std::vector<int> order(static_cast<size_t>(lambda_));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
      return Ordered(fitness[static_cast<size_t>(a)]) > Ordered(fitness[static_cast<size_t>(b)]);
    });
    ranked_.resize(n_, lambda_);
    ranked_fitness_.assign(static_cast<size_t>(lambda_), 0.0);
    for (int r = 0; r < lambda_; ++r) {
      ranked_.col(r) = candidates_.col(order[static_cast<size_t>(r)]);
      ranked_fitness_[static_cast<size_t>(r)] = Ordered(fitness[static_cast<size_t>(order[static_cast<size_t>(r)])]);
    }
    ++generation_;
    has_candidates_ = false;
    if (refine_count_ > 0 && iterations_ > 0) StartRefinement();
    if (!refining_) Breed();  // (no individual had a frame)
    return;
  }
  // Refine phase: each frame keeps its best poll point if it improves.
  for (size_t j = 0; j < frames_.size(); ++j) {
    const Eigen::Index start = FrameOffset(j), end = start + 2 * static_cast<Eigen::Index>(frames_[j].coords.size());
    Eigen::Index best_k = start;
    for (Eigen::Index k = start; k < end; ++k) {
      if (Ordered(fitness[static_cast<size_t>(k)]) > Ordered(fitness[static_cast<size_t>(best_k)])) best_k = k;
    }
    frames_[j].EndPoll(candidates_.col(best_k), Ordered(fitness[static_cast<size_t>(best_k)]));
  }
  ++generation_;
  has_candidates_ = false;
  if (++refine_iteration_ >= iterations_) {
    // Refined individuals replace their originals; re-rank (stable).
    for (size_t j = 0; j < frames_.size(); ++j) {
      ranked_.col(frames_[j].source) = frames_[j].x;
      ranked_fitness_[static_cast<size_t>(frames_[j].source)] = frames_[j].fx;
    }
    std::vector<int> order(static_cast<size_t>(lambda_));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
      return ranked_fitness_[static_cast<size_t>(a)] > ranked_fitness_[static_cast<size_t>(b)];
    });
    Eigen::MatrixXd resorted(n_, lambda_);
    std::vector<double> resorted_f(static_cast<size_t>(lambda_));
    for (int r = 0; r < lambda_; ++r) {
      resorted.col(r) = ranked_.col(order[static_cast<size_t>(r)]);
      resorted_f[static_cast<size_t>(r)] = ranked_fitness_[static_cast<size_t>(order[static_cast<size_t>(r)])];
    }
    ranked_ = std::move(resorted);
    ranked_fitness_ = std::move(resorted_f);
    refining_ = false;
    frames_.clear();
    Breed();
  }
}

void Enomad::StartRefinement() {
  frames_.clear();
  for (int j = 0; j < refine_count_; ++j) {
    MadsFrame f;
    f.x = ranked_.col(j);
    f.fx = ranked_fitness_[static_cast<size_t>(j)];
    f.poll_size = poll0_;
    f.source = j;
    if (changed_subsets_) {
      // The genes this individual changed, if they are few enough.
      for (int i = 0; i < n_; ++i)
        if (f.x(i) != origin_(i)) f.coords.push_back(i);
      if (f.coords.empty() || static_cast<int>(f.coords.size()) > subset_) continue;
    } else {
      // A random subset of s coordinates (partial Fisher-Yates), sorted.
      RandomStream rng(seed_, static_cast<uint64_t>(generation_), static_cast<uint64_t>(j),
                       kEnomadSubsetChannel, StreamPurpose::kOptimizer);
      std::vector<int> all(static_cast<size_t>(n_));
      std::iota(all.begin(), all.end(), 0);
      for (int i = 0; i < subset_; ++i) {
        const int pick = i + static_cast<int>(rng.Below(static_cast<uint64_t>(n_ - i)));
        std::swap(all[static_cast<size_t>(i)], all[static_cast<size_t>(pick)]);
      }
      f.coords.assign(all.begin(), all.begin() + subset_);
      std::sort(f.coords.begin(), f.coords.end());
    }
    const int m = static_cast<int>(f.coords.size());
    f.lower.resize(m);
    f.upper.resize(m);
    for (int i = 0; i < m; ++i) {
      // Sign-preserving bounds.
      const bool negative = f.x(f.coords[static_cast<size_t>(i)]) < 0.0;
      f.lower(i) = negative ? -kInf : 0.0;
      f.upper(i) = negative ? 0.0 : kInf;
    }
    frames_.push_back(std::move(f));
  }
  refining_ = !frames_.empty();
  refine_iteration_ = 0;
}

void Enomad::Breed() {
  const int top = std::min(truncation_, lambda_);
  for (int k = 0; k < std::min(elites_, lambda_); ++k) population_.col(k) = ranked_.col(k);
  // Fitness-proportional parents: weights max(f, 0) over the top T (all 0: uniform).
  std::vector<double> cumulative(static_cast<size_t>(top));
  double total = 0.0;
  for (int r = 0; r < top; ++r) cumulative[static_cast<size_t>(r)] = total += std::max(0.0, ranked_fitness_[static_cast<size_t>(r)]);
  const auto draw = [&](RandomStream& rng) -> Eigen::Index {
    if (!fitness_parents_ || !(total > 0.0) || !std::isfinite(total)) return static_cast<Eigen::Index>(rng.Below(static_cast<uint64_t>(top)));
    const double u = rng.Uniform() * total;
    const auto it = std::upper_bound(cumulative.begin(), cumulative.end(), u);
    return std::min<Eigen::Index>(it - cumulative.begin(), top - 1);
  };
  for (int k = elites_; k < lambda_; ++k) {
    RandomStream rng(seed_, static_cast<uint64_t>(generation_), static_cast<uint64_t>(k), 0,
                     StreamPurpose::kOptimizer);
    const Eigen::Index a = draw(rng);
    Eigen::VectorXd child = ranked_.col(a);
    if (crossover_ > 0.0 && rng.Uniform() < crossover_) {
      const Eigen::Index b = draw(rng);
      // Uniform crossover, or the reference's fitness-biased one.
      double from_a = 0.5;
      if (fitness_parents_) {
        const double fa = std::max(0.0, ranked_fitness_[static_cast<size_t>(a)]),
                     fb = std::max(0.0, ranked_fitness_[static_cast<size_t>(b)]);
        from_a = fa + fb > 0.0 ? std::pow(fa / (fa + fb), 1.2) : 0.5;
      }
      for (int i = 0; i < n_; ++i) {
        if (rng.Uniform() < (fitness_parents_ ? 1.0 - from_a : 0.5)) child(i) = ranked_(i, b);
      }
    }
    if (mutation_ > 0.0)
      for (int i = 0; i < n_; ++i) child(i) += mutation_ * rng.Normal();
    for (int r = 0; r < reset_genes_; ++r) child(static_cast<Eigen::Index>(rng.Below(static_cast<uint64_t>(n_)))) = rng.Uniform();
    population_.col(k) = child;
  }
}

std::vector<double> Enomad::Mean() const { return {best_.data(), best_.data() + n_}; }

nlohmann::json Enomad::SaveState() const {
  nlohmann::json j = BookkeepingState();
  j["version"] = 2;
  j["population"] = lambda_;
  j["truncation"] = truncation_;
  j["elites"] = elites_;
  j["refine"] = refine_count_;
  j["iterations"] = iterations_;
  j["subset"] = subset_;
  j["poll0"] = poll0_;
  j["crossover"] = crossover_;
  j["sigma"] = sigma_;
  j["mutation"] = mutation_;
  j["reset_genes"] = reset_genes_;
  j["fitness_parents"] = fitness_parents_;
  j["changed_subsets"] = changed_subsets_;
  j["penalty"] = penalty_;
  j["penalty_power"] = penalty_power_;
  j["origin"] = state_json::FromVector(origin_);
  j["refining"] = refining_;
  j["refine_iteration"] = refine_iteration_;
  j["candidates"] = state_json::FromMatrix(population_);
  if (ranked_.cols() > 0) {
    j["ranked"] = state_json::FromMatrix(ranked_);
    std::vector<nlohmann::json> f;
    for (double v : ranked_fitness_) f.push_back(Number(v));
    j["ranked_fitness"] = f;
  }
  nlohmann::json frames = nlohmann::json::array();
  for (const auto& f : frames_) frames.push_back(f.Save());
  j["frames"] = frames;
  j["best"] = state_json::FromVector(best_);
  j["best_fitness"] = Number(best_f_);
  return j;
}

void Enomad::LoadState(const nlohmann::json& state) {
  const std::string what = "enomad";
  try {
    state_json::CheckKind(state, what);
    if (state_json::Integer<int>(state, "dimension", "enomad state") != n_ || state_json::Integer<int>(state, "population", "enomad state") != lambda_ ||
        state_json::Integer<int>(state, "truncation", "enomad state") != truncation_ || state_json::Integer<int>(state, "elites", "enomad state") != elites_ ||
        state_json::Integer<int>(state, "refine", "enomad state") != refine_count_ ||
        state_json::Integer<int>(state, "iterations", "enomad state") != iterations_ || state_json::Integer<int>(state, "subset", "enomad state") != subset_)
      throw ConfigError("enomad state: its options (dimension, population, parents, elites, "
                        "enomad_refine, mads_iterations, subset) do not match this optimizer");
    const double poll0 = state.at("poll0").get<double>();
    const double crossover = state.at("crossover").get<double>();
    const double sigma = state.at("sigma").get<double>();
    const auto [seed, generation] = ReadBookkeeping(state, "enomad");
    const bool refining = state.at("refining").get<bool>();
    const int refine_iteration = state_json::Integer<int>(state, "refine_iteration", "enomad state");
    Eigen::MatrixXd candidates = state_json::ToMatrix(state, n_, lambda_, what, "candidates");
    Eigen::MatrixXd ranked;
    std::vector<double> ranked_fitness;
    if (state.contains("ranked")) {
      ranked = state_json::ToMatrix(state, n_, lambda_, what, "ranked");
      for (const auto& v : state.at("ranked_fitness")) ranked_fitness.push_back(FromNumber(v));
      if (static_cast<int>(ranked_fitness.size()) != lambda_)
        throw ConfigError("enomad state: 'ranked_fitness' has the wrong size");
    }
    // Version 2 added the reference code's knobs; a version 1 state ran without them.
    const bool v2 = state.contains("origin");
    const double mutation = v2 ? state.at("mutation").get<double>() : sigma;
    const int reset_genes = v2 ? state_json::Integer<int>(state, "reset_genes", "enomad state") : 0;
    const bool fitness_parents = v2 && state.at("fitness_parents").get<bool>();
    const bool changed_subsets = v2 && state.at("changed_subsets").get<bool>();
    const double penalty = v2 ? state.at("penalty").get<double>() : 0.0;
    const double penalty_power = v2 ? state.at("penalty_power").get<double>() : penalty_power_;
    Eigen::VectorXd origin = v2 ? state_json::ToVector(state, n_, what, "origin") : origin_;
    std::vector<MadsFrame> frames;
    for (const auto& f : state.at("frames")) frames.push_back(MadsFrame::Load(f, n_));
    std::vector<int> sources;
    for (size_t j = 0; j < frames.size(); ++j) {
      MadsFrame& f = frames[j];
      if (f.source < 0) f.source = static_cast<int>(j);  // (a version 1 state: frame j refined individual j)
      const int m = static_cast<int>(f.coords.size());
      if (changed_subsets ? (m < 1 || m > subset_) : m != subset_)
        throw ConfigError("enomad state: frame subset size");
      if (f.source >= lambda_ || (!sources.empty() && f.source <= sources.back()))
        throw ConfigError("enomad state: frame sources out of order or range");
      sources.push_back(f.source);
    }
    if (refining && (frames.empty() || ranked.cols() == 0)) throw ConfigError("enomad state: refining without frames");
    Eigen::VectorXd best = state_json::ToVector(state, n_, what, "best");
    const double best_f = FromNumber(state.at("best_fitness"));
    namespace inv = state_invariants;
    inv::StepSize(poll0, what, "poll0");
    inv::Probability(crossover, what, "crossover");
    inv::StepSize(sigma, what, "sigma");
    if (!(mutation >= 0.0) || !std::isfinite(mutation)) inv::Fail(what, "mutation", "must be finite and >= 0");
    if (reset_genes < 0 || reset_genes > n_) inv::Fail(what, "reset_genes", "is outside [0, dimension]");
    if (!(penalty >= 0.0) || !std::isfinite(penalty) || !(penalty_power >= 0.0) || !std::isfinite(penalty_power))
      inv::Fail(what, "penalty", "must be finite and >= 0");
    inv::Finite(origin, what, "origin");
    inv::Counter(refine_iteration, iterations_, what, "refine_iteration");
    inv::Finite(candidates, what, "candidates");
    inv::Finite(ranked, what, "ranked");
    inv::Finite(best, what, "best");
    poll0_ = poll0;
    crossover_ = crossover;
    sigma_ = sigma;
    mutation_ = mutation;
    reset_genes_ = reset_genes;
    fitness_parents_ = fitness_parents;
    changed_subsets_ = changed_subsets;
    penalty_ = penalty;
    penalty_power_ = penalty_power;
    origin_ = std::move(origin);
    seed_ = seed;
    generation_ = generation;
    refining_ = refining;
    refine_iteration_ = refine_iteration;
    population_ = std::move(candidates);
    ranked_ = std::move(ranked);
    ranked_fitness_ = std::move(ranked_fitness);
    frames_ = std::move(frames);
    best_ = std::move(best);
    best_f_ = best_f;
    has_candidates_ = false;
  } catch (const nlohmann::json::exception& e) {
    throw ConfigError(what + " state: " + e.what());
  }
}

}  // namespace neurevo

// IPOP and BIPOP restarts for cma_es and sep_cma_es.
//
// IPOP-CMA-ES: A. Auger and N. Hansen, "A Restart CMA Evolution Strategy
// With Increasing Population Size" (CEC 2005): whenever a run meets one of
// Hansen's termination criteria (cma_termination.h), start a new run with
// twice the population size (mu scaled in proportion) and sigma = sigma0.
//
// BIPOP-CMA-ES: N. Hansen, "Benchmarking a BI-Population CMA-ES on the
// BBOB-2009 Function Testbed" (GECCO 2009): two interleaved regimes. The
// first run uses the default lambda0 and counts as "large". After each run,
// if the evaluations spent in small runs are fewer than those spent in large
// runs, a small run follows with
//   lambda_s = floor(lambda0 * (lambda_l / (2 lambda0))^(U^2)),  U ~ U[0,1)
//   sigma_s  = sigma0 * 10^(-2 U')                               U' ~ U[0,1)
// (lambda_l: the population of the most recent large run, lambda_s >= 2);
// otherwise the next large run doubles the large population (lambda0 2^k,
// sigma0).
//
// Each new run starts from a new mean: with init_mean = uniform (and no
// explicit mean) a fresh U[0,1]^n draw from RandomStream(seed, restart, 0,
// kRestartMeanChannel, kOptimizer); otherwise the initial mean again. Run r >
// 0 samples from seed HashKey({seed, r, kRestartSeedSalt}); run 0 uses the seed
// itself, so until the first restart the wrapper asks exactly what the plain
// strategy asks. The U draws come from RandomStream(seed, restart, 0,
// kRestartDrawChannel, kOptimizer).
//
// Ask().size() (population()) changes at restarts; generation() counts all
// generations of all runs. Mean() is the current run's mean. The state holds
// the regime bookkeeping, the termination histories and the inner strategy's
// own state.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "neurevo/optimizer.h"
#include "optim/strategy.h"
#include "optim/cma_termination.h"

namespace neurevo {

inline constexpr uint64_t kRestartMeanChannel = 2;
inline constexpr uint64_t kRestartDrawChannel = 3;
inline constexpr uint64_t kRestartSeedSalt = 0x5245535441525453ULL;  // "RESTARTS"

class CmaRestarts final : public Strategy {
 public:
  // options.kind is cma_es or sep_cma_es, options.restarts ipop or bipop.
  // `redraw_uniform_mean`: start each new run from a fresh U[0,1]^n mean.
  CmaRestarts(const OptimizerOptions& options, int dimension, uint64_t seed,
              std::vector<double> initial_mean, bool redraw_uniform_mean);

  std::string_view name() const override { return kind_; }  // the inner strategy; states say cma_restarts
  int population() const override { return inner_->population(); }
  std::vector<std::vector<double>> Ask() override { return inner_->Ask(); }
  void Tell(std::span<const double> fitness) override;
  void ReplaceCandidate(int index, std::span<const double> x) override {
    inner_->ReplaceCandidate(index, x);
  }
  std::vector<double> Mean() const override { return inner_->Mean(); }
  std::function<void()> BackgroundWork() override { return inner_->BackgroundWork(); }
  void SetParallelFor(ParallelForFn parallel_for) override {
    parallel_for_ = parallel_for;
    inner_->SetParallelFor(std::move(parallel_for));
  }
  nlohmann::json SaveState() const override;
  void LoadState(const nlohmann::json& state) override;

  int restarts() const { return restarts_; }
  const std::string& last_reason() const { return last_reason_; }
  bool small_regime() const { return small_; }
  const Optimizer& inner() const { return *inner_; }

 private:
  std::unique_ptr<Optimizer> MakeInner(int lambda, int mu, double sigma0, uint64_t run_seed,
                                       const std::vector<double>& mean) const;
  CmaSnapshot Snapshot() const;
  void Restart();

  OptimizerOptions options_;
  ParallelForFn parallel_for_;  // handed to every inner strategy
  std::string kind_;
  std::string mode_;  // ipop | bipop
  std::vector<double> initial_mean_;
  bool redraw_uniform_mean_;
  int lambda0_;
  int mu0_;

  int restarts_ = 0;
  int large_runs_ = 0;  // large-regime restarts so far (lambda_l = lambda0 2^large_runs_)
  long long evals_small_ = 0;
  long long evals_large_ = 0;
  bool small_ = false;  // the current run is a BIPOP small-regime run
  int lambda_ = 0;
  int mu_ = 0;
  double run_sigma0_ = 0.0;
  uint64_t run_seed_ = 0;
  std::string last_reason_;

  std::unique_ptr<Optimizer> inner_;
  CmaTermination termination_;
};

}  // namespace neurevo

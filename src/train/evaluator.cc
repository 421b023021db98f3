#include "train/evaluator.h"

#include "neurevo/random.h"
#include "train/gradient_episode.h"

namespace neurevo {

namespace {
constexpr uint64_t kEnvSeedPurpose = static_cast<uint64_t>(StreamPurpose::kEnvReset);
constexpr uint64_t kNoisePurpose = static_cast<uint64_t>(StreamPurpose::kNetworkNoise);
constexpr uint64_t kEvalPurpose = static_cast<uint64_t>(StreamPurpose::kEvalSeeds);

// Decides, from counters alone, whether this training episode gets a NaN
// action or observation, and at which step (1..5).
void InjectFaults(const FaultInjection& f, uint64_t seed, uint64_t gen, uint64_t individual, uint64_t ep,
                  EpisodeOptions& o) {
  constexpr uint64_t kFault = static_cast<uint64_t>(StreamPurpose::kFaultInjection);
  RandomStream rng(HashKey({seed, kFault, gen, individual, ep}));
  if (rng.Uniform() < f.nan_action_rate) o.nan_action_step = 1 + static_cast<long long>(rng.Below(5));
  if (rng.Uniform() < f.nan_observation_rate) o.nan_observation_step = 1 + static_cast<long long>(rng.Below(5));
}
// A training episode's seeds: the environment's is the generation's
// (common random numbers), the network noise's each individual's own.
uint64_t TrainingEnvSeed(uint64_t seed, uint64_t gen, int episode) {
  return HashKey({seed, gen, static_cast<uint64_t>(episode), kEnvSeedPurpose});
}
uint64_t TrainingNoiseKey(uint64_t seed, uint64_t gen, int individual, int episode) {
  return HashKey({seed, gen, static_cast<uint64_t>(individual), static_cast<uint64_t>(episode), kNoisePurpose});
}
}  // namespace

uint64_t HeldOutEnvSeed(uint64_t seed, int episode) {
  return HashKey({seed, kEvalPurpose, static_cast<uint64_t>(episode), kEnvSeedPurpose});
}
uint64_t HeldOutNoiseKey(uint64_t seed, int episode) {
  return HashKey({seed, kEvalPurpose, static_cast<uint64_t>(episode), kNoisePurpose});
}

Evaluator::Evaluator(const Model& model, const std::string& task_name, ThreadPool& pool,
                     const std::atomic<bool>* abort, const FaultInjection* faults, bool drop_survival_bonus,
                     const TaskOptions& task_options)
    : model_(model), pool_(pool), abort_(abort), faults_(faults), drop_survival_bonus_(drop_survival_bonus) {
  for (int w = 0; w < pool.size(); ++w) tasks_.push_back(MakeTask(task_name, task_options));
}

std::vector<IndividualResult> Evaluator::EvaluateGeneration(
    const std::vector<std::vector<double>>& genomes, const ObsNormalizer& normalizer,
    uint64_t seed, long long generation, int episodes, std::vector<ObsStats>* seen, Range range) {
  const int n = static_cast<int>(genomes.size());
  const Range r_all = range.Clamp(n);
  std::vector<IndividualResult> results(n);
  if (seen) seen->assign(n, ObsStats(normalizer.dim()));
  const auto gen = static_cast<uint64_t>(generation);
  pool_.ParallelFor(r_all.end - r_all.begin, [&](int k, int worker) {
    const int i = r_all.begin + k;
    auto policy = model_.Decode(genomes[i]);
    IndividualResult& r = results[i];
    double total = 0.0;
    for (int e = 0; e < episodes; ++e) {
      const uint64_t env_seed = TrainingEnvSeed(seed, gen, e), noise_key = TrainingNoiseKey(seed, gen, i, e);
      EpisodeOptions options;
      options.seen = seen ? &(*seen)[i] : nullptr;
      options.abort = abort_;
      options.drop_survival_bonus = drop_survival_bonus_;
      if (faults_) InjectFaults(*faults_, seed, gen, static_cast<uint64_t>(i), static_cast<uint64_t>(e), options);
      const EpisodeResult ep = RunEpisode(*policy, *tasks_[worker], normalizer, env_seed, noise_key, options);
      if (ep.aborted) {
        r.aborted = true;
        return;
      }
      r.steps += ep.steps;
      total += ep.total_reward;
      r.info_count = ep.info_count;
      for (int k = 0; k < ep.info_count; ++k) r.info[k] += ep.info[k];
      if (ep.failed) ++r.failed_episodes;
    }
    r.fitness = r.failed_episodes > 0 ? kFailedFitness : total / episodes;
  });
  return results;
}

Evaluator::GradientResult Evaluator::EvaluateGradient(std::span<const double> genome, const ObsNormalizer& normalizer,
                                                      uint64_t seed, long long generation, int episodes, double gamma,
                                                      ObsStats* seen) {
  const auto gen = static_cast<uint64_t>(generation);
  const size_t n = genome.size();
  std::vector<std::vector<double>> gradients(episodes);
  std::vector<GradientEpisodeResult> results(episodes);
  std::vector<ObsStats> seen_by(episodes, ObsStats(normalizer.dim()));
  pool_.ParallelFor(episodes, [&](int e, int worker) {
    // The seeds EvaluateGeneration gives individual 0.
    const uint64_t env_seed = TrainingEnvSeed(seed, gen, e), noise_key = TrainingNoiseKey(seed, gen, 0, e);
    gradients[e].assign(n, 0.0);
    EpisodeOptions faults;
    if (faults_) InjectFaults(*faults_, seed, gen, 0, static_cast<uint64_t>(e), faults);
    results[e] = RunGradientEpisode(model_, genome, *tasks_[worker], normalizer, env_seed, noise_key, gamma,
                                    gradients[e], &seen_by[e], abort_, &faults);
  });
  GradientResult out;
  out.gradient.assign(n, 0.0);
  IndividualResult& r = out.result;
  double total = 0;
  int good = 0;
  for (int e = 0; e < episodes; ++e) {
    const EpisodeResult& ep = results[e].episode;
    if (seen) seen->Merge(seen_by[e]);
    if (ep.aborted) {
      r.aborted = true;
      return out;
    }
    r.steps += ep.steps;
    if (ep.failed) {
      ++r.failed_episodes;
      continue;
    }
    ++good;
    total += ep.total_reward;
    r.info_count = ep.info_count;
    for (int k = 0; k < ep.info_count; ++k) r.info[k] += ep.info[k];
    out.loss += results[e].loss;
    for (size_t g = 0; g < n; ++g) out.gradient[g] += gradients[e][g];
  }
  if (good > 0) {
    for (double& g : out.gradient) g /= good;
    out.loss /= good;
  }
  // One genome plays every episode: a failed one (a non-finite value, or an
  // injected fault) leaves the others' mean as its fitness, and only when
  // all fail is the genome failed.
  r.fitness = good > 0 ? total / good : kFailedFitness;
  return out;
}

std::vector<EpisodeResult> Evaluator::EvaluateEpisodes(std::span<const double> genome,
                                                       const ObsNormalizer& normalizer,
                                                       const std::vector<uint64_t>& env_seeds,
                                                       const std::vector<uint64_t>& noise_keys,
                                                       bool training_reward, Range range, int first_held_out) {
  std::vector<EpisodeResult> results(env_seeds.size());
  const Range r = range.Clamp(static_cast<int>(env_seeds.size()));
  // Decoded once; each episode runs a fresh state of it (model.h).
  const std::shared_ptr<const Controller> controller = model_.DecodeController(genome);
  pool_.ParallelFor(r.end - r.begin, [&](int k, int worker) {
    const int e = r.begin + k;
    // Once a stop is requested, the rest are skipped without building a
    // state (a long evaluation then ends in milliseconds).
    if (abort_ && abort_->load(std::memory_order_relaxed)) {
      results[e].aborted = true;
      return;
    }
    auto policy = controller->NewPolicy();
    EpisodeOptions options;
    options.abort = abort_;
    options.drop_survival_bonus = training_reward && drop_survival_bonus_;
    if (first_held_out >= 0) options.held_out_episode = first_held_out + e;
    results[e] = RunEpisode(*policy, *tasks_[worker], normalizer, env_seeds[e], noise_keys[e], options);
  });
  return results;
}

std::vector<EpisodeResult> Evaluator::EvaluateHeldOut(std::span<const double> genome,
                                                      const ObsNormalizer& normalizer,
                                                      uint64_t seed, int episodes, Range range,
                                                      int first_episode) {
  std::vector<uint64_t> env_seeds, noise_keys;
  for (int e = first_episode; e < first_episode + episodes; ++e) {
    env_seeds.push_back(HeldOutEnvSeed(seed, e));
    noise_keys.push_back(HeldOutNoiseKey(seed, e));
  }
  return EvaluateEpisodes(genome, normalizer, env_seeds, noise_keys, /*training_reward=*/false, range,
                          first_episode);
}

std::vector<EpisodeResult> Evaluator::EvaluateValidation(std::span<const double> genome,
                                                         const ObsNormalizer& normalizer,
                                                         uint64_t seed, long long generation,
                                                         int episodes, Range range) {
  constexpr uint64_t kValidation = static_cast<uint64_t>(StreamPurpose::kValidation);
  std::vector<uint64_t> env_seeds, noise_keys;
  for (int e = 0; e < episodes; ++e) {
    const auto ep = static_cast<uint64_t>(e);
    env_seeds.push_back(HashKey({seed, kValidation, static_cast<uint64_t>(generation), ep, kEnvSeedPurpose}));
    noise_keys.push_back(HashKey({seed, kValidation, static_cast<uint64_t>(generation), ep, kNoisePurpose}));
  }
  return EvaluateEpisodes(genome, normalizer, env_seeds, noise_keys, /*training_reward=*/true, range);
}

}  // namespace neurevo

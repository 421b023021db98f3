// `neurevo analyze RUN_DIR`: what evolution made of a LIF network, as data
// files in RUN_DIR/analysis/ (or --out):
//   structure.npz   signed structural connectivity (n x n, nS: AMPA +, GABA -,
//                   summed over a pair's synapses) and mean delays (ms; NaN
//                   where no synapse) of the initial network (initial_genome.json,
//                   where the search started) and the best; every synapse's
//                   pre, post, receptor, weight and delay in both
//   functional.npz  functional connectivity: Pearson correlations of the
//                   neurons' step activity over `episodes` held-out rollouts
//                   (concatenated), initial and best; NaN for a silent neuron
//   parameters.json per population and parameter (tau_m, C_m, g_leak, V_rest,
//                   V_th, offset, noise): count, mean, std, min, max, and for
//                   positive, varying values the maximum-likelihood lognormal
//                   and gamma fits with their mean log-likelihoods
//   summary.json    what was analysed, and the files
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace neurevo {

// Returns summary.json's content. Throws ConfigError for a run whose model
// is not a LIF network or files that do not read; writes nothing then.
nlohmann::json AnalyzeRun(const std::string& run_dir, const std::string& out_dir, int episodes, const uint64_t* seed);

}  // namespace neurevo

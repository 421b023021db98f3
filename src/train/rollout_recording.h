// `neurevo rollout RUN_DIR --record spikes,v,g,activity --out FILE.npz`: the
// best genome's held-out episodes with what its neurons did, as one .npz
// (core/npz_writer.h) that numpy.load reads:
//   observation (T, obs) f8, action (T, act) f8 (as the task applied it),
//   reward (T,) f8, episode (T,) i4, step (T,) i4 (1 = the first step):
//     one row per environment step of every episode, in order;
//   v, g_exc, g_inh, activity (T, neurons) f4, with "v", "g", "activity":
//     membrane potential (mV) and AMPA/GABA conductances (nS) at the end of
//     the step, the step's mean signal (graded activity, or spikes per substep);
//   spike_row (K,) i4, spike_substep (K,) i4, spike_neuron (K,) i4, with
//     "spikes": every spike as (its step's row, substep within the step, neuron);
//   neuron_population (neurons,) i4 and population_names (P,) <U: which
//     population each neuron is in; dt_ms () f8, substeps () i4.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace neurevo {

// The fields `--record` accepts, and which of them a comma list names;
// throws ConfigError naming an unknown one.
std::vector<std::string> RecordFields();
std::vector<std::string> ParseRecordFields(const std::string& list);

// Writes the recording of `episodes` held-out episodes (seed: the run's by
// default) to `path` atomically. Throws ConfigError, before writing anything,
// for a run whose model records no neurons (not a LIF network) or a
// recording that would pass `max_bytes`.
void RecordRolloutToFile(const std::string& run_dir, int episodes, const uint64_t* seed,
                         const std::vector<std::string>& fields, uint64_t max_bytes, const std::string& path);

}  // namespace neurevo

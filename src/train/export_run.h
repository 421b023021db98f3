// `neurevo export RUN_DIR --to brian2`: the run's best network as a runnable
// script for another simulator, with its evolved parameters.
//
// The script rebuilds the decoded network (model/lif_export.h) and drives it
// open loop with the observations of the run's first held-out episode (as
// the network saw them, normalised), for `steps` environment steps. It also
// carries what neurevo computed on the same input (spike times, outputs,
// potentials), and compares: running it prints how many spikes fall on the
// same substep and how far the outputs are apart, and writes its own
// recording as JSON.
#pragma once

#include <cstdint>
#include <string>

namespace neurevo {

// Writes the script to `out_path` (atomically; refuses to overwrite an
// existing file). `target`: brian2. `without_noise`: the network's input
// noise silenced, in the script and in neurevo's recording alike (their
// noise streams differ, so only a silent network compares spike for spike). Throws ConfigError for a run whose model
// is not a LIF network (bnn, snn, network) or holds what the export does not
// write (it says what), for an unknown target, and for a bad run directory.
void ExportRun(const std::string& run_dir, const std::string& target, const std::string& out_path, int steps,
               const uint64_t* seed, bool without_noise = false);

}  // namespace neurevo

// How much memory a run of a config needs, and whether the machine has it.
//
// The estimate is a sum of terms, each measured (peak RSS of one-generation
// runs, BENCHMARKS-style) and rounded up:
//   fixed:       the model (layout with a label per gene, topology), the best
//                genome and its JSON and text, the final evaluation's chunk;
//   per thread:  one decoded network (synapses, the delay rings: neurons x
//                2 x max delay in substeps), a task, scratch;
//   per island:  the optimizer's state (n^2 matrices for cma_es and xnes,
//                vectors for the others), its λ candidates (sampled, then
//                copied for evaluation), and its checkpointed JSON twice
//                (current and restore point) plus the CBOR encoding.
// `neurevo describe` reports the same terms.
#pragma once

#include <string>

#include "core/memory.h"
#include "neurevo/config.h"

namespace neurevo {

struct MemoryEstimate {
  long long genes = 0;
  double per_individual_bytes = 0;  // one candidate, as held by its optimizer and the trainer
  double per_island_bytes = 0;      // optimizer state, its candidates, its checkpointed state
  double per_thread_bytes = 0;      // a decoded network and a task
  double delay_ring_bytes = 0;      // the part of per_thread_bytes in a LIF network's delay rings
  double fixed_bytes = 0;           // model, best genome, evaluation
  int islands = 1, threads = 1;
  double total_bytes() const { return fixed_bytes + islands * per_island_bytes + threads * per_thread_bytes; }
};

// The estimate for training `config` (run.threads = 0 counts the hardware threads).
MemoryEstimate EstimateMemory(const RunConfig& config);


// Throws ConfigError (exit 2) naming the keys that drive the size when
// training `config` would need more than AvailableMemoryBytes().
void CheckMemoryFits(const RunConfig& config);


}  // namespace neurevo

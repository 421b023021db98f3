// A decoded LIF network (bnn, snn or a description) written out for another
// simulator: every constant and synapse of what LifState::Step integrates
// (lif_network.cc), so that `neurevo export` (src/train/export_run.h) can
// rebuild it in Brian2.
//
// Per environment step the network receives its input currents (input
// neurons: input_bias + input_gain * x, pair encoding: +- the gain; current
// targets: input_bias + sum_i w_i x_i), then runs `substeps` substeps of dt:
//   noise <- noise_std * N(0, 1) at substeps s with s % noise_interval == 0
//   g_E <- g_E * syn_decay + sum_k weight[k] signal_pre(k)(t - delay[k])  (AMPA; g_I: GABA)
//   V   <- V + dt_over_c (g_leak (v_rest - V) + g_E (e_exc - V) + g_I (e_inh - V) + offset + input + noise)
//   graded neurons: signal = smoothstep((V - graded_low) graded_inv_width)
//   spiking neurons: refractory (counter > 0): counter - 1, V <- v_reset, signal 0;
//                    else V > v_threshold: signal 1, V <- v_reset, counter <- refractory
// The step's outputs are the mean over substeps of the output neurons'
// signals (spiking outputs: their trace, trace <- trace * trace_decay +
// trace_increment * signal), clipped at 1; a linear readout maps them.
#pragma once

#include <nlohmann/json.hpp>

#include "model/lif_network.h"

namespace neurevo {

// The description above as JSON, every float written exactly. Throws
// std::invalid_argument naming what the exported class leaves out: a
// description's own receptors, current-based neurons, gap junctions.
nlohmann::json LifExportJson(const LifNetwork& net);

}  // namespace neurevo

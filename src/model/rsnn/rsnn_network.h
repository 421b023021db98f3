// The discrete-time recurrent spiking network of the neocortical RSNN system
// (model.kind = "rsnn"; rsnn_model.h builds it from a network description):
// a linear input layer, a recurrent layer of current-based LIF neurons
// (lif_curr's parameters) that obey Dale's law, and a linear readout of the
// neurons' membrane potentials. One network step of dt (model.dt_ms), for
// neuron i, with z the spikes (0 or 1) of the step before:
//
//   I_i   = sum_k W_in[i,k] x_k + sum_j W[i,j] z_j + offset_i          (pA)
//   v'_i  = v_i (1 - z_i) + V_reset_i z_i                  (reset after a spike)
//   v_i  <- V_rest_i + a_i (v'_i - V_rest_i) + (1 - a_i) R_i I_i,  a_i = exp(-dt / tau_i)
//   s_i   = (v_i - V_th_i) / (V_th_i - V_rest_i),   z_i <- H(s_i)
//   y_k   = sum_i W_out[k,i] (v_i - V_rest_i) / (V_th_i - V_rest_i) + b_k
//
// The leak is integrated exactly (a_i), so any tau_m > 0 is stable. A neuron
// that spiked is refractory for round(tau_ref / dt) steps: its potential is
// held at V_reset and it cannot spike. Synapses are instantaneous currents
// delivered on the step after the spike (one step of delay), W[i,j] = +-|w|
// by the presynaptic neuron's Dale type.
//
// Backpropagation through time (Backward) replaces dz/ds, which is 0 almost
// everywhere, by the fast-sigmoid surrogate 1 / (1 + slope |s|)^2 (Zenke &
// Ganguli 2018); with `smooth` the forward pass itself uses
// z = s / (1 + slope |s|) + 1 / slope, whose derivative that is, so that a
// finite difference checks the whole backward pass exactly (tests only).
//
// Thread safety: RsnnNetwork is a const value; an RsnnState belongs to one
// thread.
#pragma once

#include <span>
#include <vector>

namespace neurevo {

struct RsnnNetwork {
  int neurons = 0, inputs = 0, outputs = 0;
  double dt_ms = 1.0;
  int substeps = 1;        // network steps per environment step (the readout is taken at the last)
  double slope = 10.0;     // surrogate slope
  bool smooth = false;     // smooth forward pass (gradient checks)
  std::vector<double> w_in;   // neurons x inputs, row i = neuron i
  std::vector<double> w_rec;  // neurons x neurons, column j = presynaptic neuron j: w_rec[j * n + i]
  std::vector<double> w_out;  // outputs x neurons
  std::vector<double> b_out;  // outputs
  // Per neuron.
  std::vector<double> tau_ms, resistance, v_rest, v_reset, v_init, v_threshold, offset;
  std::vector<int> refractory_steps;
};

// The running state, and (with a tape) what the backward pass needs.
class RsnnState {
 public:
  explicit RsnnState(const RsnnNetwork& net, bool keep_tape = false);
  void Reset();
  // One environment step: `substeps` network steps with input x; writes the
  // readout y (outputs) of the last.
  void Step(std::span<const double> x, std::span<double> y);
  bool healthy() const;
  std::span<const double> potentials() const { return v_; }
  std::span<const double> spikes() const { return z_; }

  // Gradients of a loss with respect to every quantity of the network, given
  // dL/dy for every environment step taken since Reset (steps x outputs).
  // Needs keep_tape.
  struct Gradient {
    std::vector<double> w_in, w_rec, w_out, b_out, tau_ms, resistance, v_rest, v_threshold, offset;
  };
  Gradient Backward(std::span<const double> dl_dy) const;
  int steps() const { return steps_; }

 private:
  void Advance(const double* x);

  const RsnnNetwork& net_;
  bool keep_tape_;
  std::vector<double> v_, z_, alpha_, current_;
  std::vector<int> refractory_;
  int steps_ = 0;
  // Tape, per network step: input, potential after the step, spikes, and
  // whether the neuron was refractory (held) during it.
  std::vector<double> tape_x_, tape_v_, tape_z_;
  std::vector<unsigned char> tape_held_;
};

}  // namespace neurevo

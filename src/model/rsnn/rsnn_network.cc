#include "model/rsnn/rsnn_network.h"

#include <Eigen/Dense>
#include <cmath>
#include <stdexcept>

namespace neurevo {

namespace {
// The spike's surrogate derivative dz/ds.
double Surrogate(double s, double slope) {
  const double d = 1.0 + slope * std::abs(s);
  return 1.0 / (d * d);
}
}  // namespace

RsnnState::RsnnState(const RsnnNetwork& net, bool keep_tape)
    : net_(net), keep_tape_(keep_tape), v_(net.neurons), z_(net.neurons), alpha_(net.neurons), refractory_(net.neurons) {
  for (int i = 0; i < net.neurons; ++i) alpha_[i] = std::exp(-net.dt_ms / net.tau_ms[i]);
  Reset();
}

void RsnnState::Reset() {
  v_ = net_.v_init;
  std::fill(z_.begin(), z_.end(), 0.0);
  std::fill(refractory_.begin(), refractory_.end(), 0);
  steps_ = 0;
  tape_x_.clear();
  tape_v_.clear();
  tape_z_.clear();
  tape_held_.clear();
}

void RsnnState::Advance(const double* x) {
  const int n = net_.neurons, m = net_.inputs;
  std::vector<double>& current = current_;
  current.assign(net_.offset.begin(), net_.offset.end());
  for (int i = 0; i < n; ++i) {
    const double* w = &net_.w_in[static_cast<size_t>(i) * m];
    double sum = 0;
    for (int k = 0; k < m; ++k) sum += w[k] * x[k];
    current[i] += sum;
  }
  // Only presynaptic neurons that spiked contribute (all of them when smooth).
  for (int j = 0; j < n; ++j) {
    const double zj = z_[j];
    if (zj == 0.0) continue;
    const double* col = &net_.w_rec[static_cast<size_t>(j) * n];
    for (int i = 0; i < n; ++i) current[i] += col[i] * zj;
  }
  if (keep_tape_) tape_x_.insert(tape_x_.end(), x, x + m);
  for (int i = 0; i < n; ++i) {
    const bool held = refractory_[i] > 0;
    if (keep_tape_) tape_held_.push_back(held ? 1 : 0);
    if (held) {
      --refractory_[i];
      v_[i] = net_.v_reset[i];
      z_[i] = 0.0;
      continue;
    }
    const double a = alpha_[i], rest = net_.v_rest[i];
    const double vp = v_[i] * (1.0 - z_[i]) + net_.v_reset[i] * z_[i];
    v_[i] = rest + a * (vp - rest) + (1.0 - a) * net_.resistance[i] * current[i];
    const double s = (v_[i] - net_.v_threshold[i]) / (net_.v_threshold[i] - rest);
    if (net_.smooth) {
      z_[i] = s / (1.0 + net_.slope * std::abs(s)) + 1.0 / net_.slope;
    } else {
      z_[i] = s >= 0.0 ? 1.0 : 0.0;
      if (s >= 0.0) refractory_[i] = net_.refractory_steps[i];
    }
  }
  if (keep_tape_) {
    tape_v_.insert(tape_v_.end(), v_.begin(), v_.end());
    tape_z_.insert(tape_z_.end(), z_.begin(), z_.end());
  }
}

void RsnnState::Step(std::span<const double> x, std::span<double> y) {
  if (static_cast<int>(x.size()) != net_.inputs || static_cast<int>(y.size()) != net_.outputs)
    throw std::invalid_argument("RsnnState::Step: input or output of the wrong size");
  for (int s = 0; s < net_.substeps; ++s) Advance(x.data());
  ++steps_;
  const int n = net_.neurons;
  for (int k = 0; k < net_.outputs; ++k) {
    const double* w = &net_.w_out[static_cast<size_t>(k) * n];
    double sum = net_.b_out[k];
    for (int i = 0; i < n; ++i) sum += w[i] * (v_[i] - net_.v_rest[i]) / (net_.v_threshold[i] - net_.v_rest[i]);
    y[k] = sum;
  }
}

bool RsnnState::healthy() const {
  for (const double v : v_)
    if (!std::isfinite(v)) return false;
  return true;
}

RsnnState::Gradient RsnnState::Backward(std::span<const double> dl_dy) const {
  if (!keep_tape_) throw std::logic_error("RsnnState::Backward: the state keeps no tape");
  const int n = net_.neurons, m = net_.inputs, q = net_.outputs, sub = net_.substeps;
  if (dl_dy.size() != static_cast<size_t>(steps_) * q)
    throw std::invalid_argument("RsnnState::Backward: dL/dy must hold steps x outputs values");
  Gradient g;
  g.w_in.assign(static_cast<size_t>(n) * m, 0.0);
  g.w_rec.assign(static_cast<size_t>(n) * n, 0.0);
  g.w_out.assign(static_cast<size_t>(q) * n, 0.0);
  g.b_out.assign(q, 0.0);
  for (auto* v : {&g.tau_ms, &g.resistance, &g.v_rest, &g.v_threshold, &g.offset}) v->assign(n, 0.0);
  // Adjoints of step t's potential and spikes, gathered from the steps after it.
  std::vector<double> dv(n, 0.0), dz(n, 0.0), dv_prev(n), dz_prev(n), current(n), di(n);
  const long long total = static_cast<long long>(steps_) * sub;
  for (long long t = total - 1; t >= 0; --t) {
    const double* v = &tape_v_[static_cast<size_t>(t) * n];
    const unsigned char* held = &tape_held_[static_cast<size_t>(t) * n];
    const double* x = &tape_x_[static_cast<size_t>(t) * m];
    const double* v_before = t > 0 ? &tape_v_[static_cast<size_t>(t - 1) * n] : net_.v_init.data();
    const double* z_before = t > 0 ? &tape_z_[static_cast<size_t>(t - 1) * n] : nullptr;
    // The readout, at the last network step of each environment step.
    if ((t + 1) % sub == 0) {
      const double* d = &dl_dy[static_cast<size_t>((t + 1) / sub - 1) * q];
      for (int k = 0; k < q; ++k) g.b_out[k] += d[k];
      for (int i = 0; i < n; ++i) {
        const double width = net_.v_threshold[i] - net_.v_rest[i], u = (v[i] - net_.v_rest[i]) / width;
        double back = 0;
        for (int k = 0; k < q; ++k) {
          back += d[k] * net_.w_out[static_cast<size_t>(k) * n + i];
          g.w_out[static_cast<size_t>(k) * n + i] += d[k] * u;
        }
        dv[i] += back / width;
        g.v_threshold[i] += -back * u / width;
        g.v_rest[i] += back * (u - 1.0) / width;
      }
    }
    // Spikes, then the membrane update; a held neuron's values are constants.
    std::fill(dv_prev.begin(), dv_prev.end(), 0.0);
    std::fill(dz_prev.begin(), dz_prev.end(), 0.0);
    bool any = false;
    for (int i = 0; i < n; ++i) {
      di[i] = 0.0;
      if (held[i]) continue;
      const double rest = net_.v_rest[i], width = net_.v_threshold[i] - rest;
      const double s = (v[i] - net_.v_threshold[i]) / width;
      const double ds = dz[i] * Surrogate(s, net_.slope);
      dv[i] += ds / width;
      g.v_threshold[i] += -ds * (1.0 + s) / width;
      g.v_rest[i] += ds * s / width;
      di[i] = dv[i];  // dL/dv_t, used below
      any = any || dv[i] != 0.0;
    }
    if (any) {
      // The step's input current, recomputed.
      for (int i = 0; i < n; ++i) {
        double sum = net_.offset[i];
        for (int k = 0; k < m; ++k) sum += net_.w_in[static_cast<size_t>(i) * m + k] * x[k];
        current[i] = sum;
      }
      if (z_before)
        for (int j = 0; j < n; ++j) {
          if (z_before[j] == 0.0) continue;
          for (int i = 0; i < n; ++i) current[i] += net_.w_rec[static_cast<size_t>(j) * n + i] * z_before[j];
        }
      for (int i = 0; i < n; ++i) {
        if (held[i]) {
          di[i] = 0.0;
          continue;
        }
        const double dvi = di[i];
        const double a = alpha_[i], rest = net_.v_rest[i], r = net_.resistance[i];
        const double zb = z_before ? z_before[i] : 0.0;
        const double vp = v_before[i] * (1.0 - zb) + net_.v_reset[i] * zb;
        const double da = dvi * (vp - rest - r * current[i]);
        g.tau_ms[i] += da * a * net_.dt_ms / (net_.tau_ms[i] * net_.tau_ms[i]);
        g.resistance[i] += dvi * (1.0 - a) * current[i];
        g.v_rest[i] += dvi * (1.0 - a);
        const double dvp = dvi * a;
        dv_prev[i] += dvp * (1.0 - zb);
        dz_prev[i] += dvp * (net_.v_reset[i] - v_before[i]);
        di[i] = dvi * (1.0 - a) * r;  // dL/dI_i
      }
      for (int i = 0; i < n; ++i) {
        if (di[i] == 0.0) continue;
        g.offset[i] += di[i];
        for (int k = 0; k < m; ++k) g.w_in[static_cast<size_t>(i) * m + k] += di[i] * x[k];
      }
      if (z_before) {
        // dL/dz_before = W^T dL/dI: one matrix-vector product (Eigen's, vectorised; a plain loop's
        // sum per column is one long dependency chain).
        const Eigen::Map<const Eigen::MatrixXd> w(net_.w_rec.data(), n, n);
        const Eigen::Map<const Eigen::VectorXd> d(di.data(), n);
        Eigen::Map<Eigen::VectorXd>(dz_prev.data(), n).noalias() += w.transpose() * d;
        // Only a presynaptic neuron that spiked (all of them when smooth) changes its weights' gradient.
        for (int j = 0; j < n; ++j) {
          if (z_before[j] == 0.0) continue;
          double* gcol = &g.w_rec[static_cast<size_t>(j) * n];
          for (int i = 0; i < n; ++i) gcol[i] += di[i] * z_before[j];
        }
      }
    }
    dv.swap(dv_prev);
    dz.swap(dz_prev);
  }
  return g;
}

}  // namespace neurevo

// A dense tanh layer whose weights come from unit-box genes, shared by the
// rnn and mlp baselines. A gene u maps to (2u - 1) * scale / sqrt(fan_in), so
// that a genome centred at 0.5 is a network of zero weights and the
// pre-activation spread does not grow with the layer's width.
#pragma once

#include <cmath>
#include <span>
#include <string>
#include <vector>

#include "neurevo/genome_layout.h"

namespace neurevo {

struct DenseLayer {
  int inputs = 0, outputs = 0;
  std::vector<float> weight;  // outputs x inputs, row-major
  std::vector<float> bias;

  // Adds "<name>_weights" and "<name>_bias" families to the layout.
  static void AddFamilies(GenomeLayout& layout, const std::string& name, int inputs, int outputs,
                          double scale) {
    const double range = scale / std::sqrt(static_cast<double>(inputs));
    layout.Add({.name = name + "_weights", .size = inputs * outputs, .low = -range, .high = range});
    layout.Add({.name = name + "_bias", .size = outputs, .low = -range, .high = range});
  }
  static DenseLayer Decode(const GenomeLayout& layout, const std::string& name,
                           std::span<const double> genome) {
    const GeneFamily& wf = *layout.Find(name + "_weights");
    const GeneFamily& bf = *layout.Find(name + "_bias");
    DenseLayer l;
    l.outputs = bf.size;
    l.inputs = wf.size / bf.size;
    l.weight.resize(wf.size);
    l.bias.resize(bf.size);
    for (int i = 0; i < wf.size; ++i) l.weight[i] = static_cast<float>(GenomeLayout::Map(wf, genome, i));
    for (int i = 0; i < bf.size; ++i) l.bias[i] = static_cast<float>(GenomeLayout::Map(bf, genome, i));
    return l;
  }
  // out = W in + b (no nonlinearity); `out` has `outputs` entries.
  void Affine(std::span<const float> in, std::span<float> out) const {
    for (int o = 0; o < outputs; ++o) {
      const float* row = weight.data() + static_cast<size_t>(o) * inputs;
      float acc = bias[o];
#pragma omp simd reduction(+ : acc)
      for (int i = 0; i < inputs; ++i) acc += row[i] * in[i];
      out[o] = acc;
    }
  }
};

}  // namespace neurevo

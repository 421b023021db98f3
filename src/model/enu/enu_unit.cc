// GCC 12 reports Eigen's float AVX-512 packet code as maybe-uninitialized
// (a false positive inside avx512fintrin.h, not in this file's logic).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include "model/enu/enu_unit.h"

#include <cmath>
#include <stdexcept>

namespace neurevo {

namespace {
void AddMatrix(GenomeLayout& layout, const std::string& name, int size, int fan_in, double scale) {
  const double range = scale / std::sqrt(static_cast<double>(fan_in));
  layout.Add({.name = name, .size = size, .low = -range, .high = range});
}

EnuMatrix DecodeMatrix(const GenomeLayout& layout, const std::string& name, int rows, int cols,
                       std::span<const double> genome) {
  const GeneFamily* f = layout.Find(name);
  if (f == nullptr || f->size != rows * cols) throw std::logic_error("EnuWeights: family " + name + " missing");
  EnuMatrix m(rows, cols);
  for (int i = 0; i < rows * cols; ++i) m.data()[i] = static_cast<float>(GenomeLayout::Map(*f, genome, i));
  return m;
}
}  // namespace

void EnuWeights::AddFamilies(GenomeLayout& layout, const std::string& name, const EnuShape& s, double scale) {
  const int k = s.fan_in(), m = s.memory, c = s.channels;
  AddMatrix(layout, name + "_gates", k * 2 * m, k, scale);
  AddMatrix(layout, name + "_gates_bias", 2 * m, k, scale);
  AddMatrix(layout, name + "_candidate", k * m, k, scale);
  AddMatrix(layout, name + "_candidate_bias", m, k, scale);
  AddMatrix(layout, name + "_output", m * c, m, scale);
  AddMatrix(layout, name + "_output_bias", c, m, scale);
}

EnuWeights EnuWeights::Decode(const GenomeLayout& layout, const std::string& name, const EnuShape& s,
                              std::span<const double> genome) {
  const int k = s.fan_in(), m = s.memory, c = s.channels;
  EnuWeights w;
  w.shape = s;
  w.gates = DecodeMatrix(layout, name + "_gates", k, 2 * m, genome);
  w.gates_bias = DecodeMatrix(layout, name + "_gates_bias", 1, 2 * m, genome);
  w.candidate = DecodeMatrix(layout, name + "_candidate", k, m, genome);
  w.candidate_bias = DecodeMatrix(layout, name + "_candidate_bias", 1, m, genome);
  w.output = DecodeMatrix(layout, name + "_output", m, c, genome);
  w.output_bias = DecodeMatrix(layout, name + "_output_bias", 1, c, genome);
  return w;
}

EnuBatch::EnuBatch(int units, const EnuShape& s)
    : memory(EnuMatrix::Zero(units, s.memory)),
      output(EnuMatrix::Zero(units, s.channels)),
      input(EnuMatrix::Zero(units, s.inputs)),
      concat(units, s.fan_in()),
      gates(units, 2 * s.memory),
      candidate(units, s.memory) {}

void EnuBatch::Reset() {
  memory.setZero();
  output.setZero();
}

namespace {
class EigenEnuKernel final : public EnuKernel {
 public:
  void Step(const EnuWeights& w, EnuBatch& b, const EnuMatrix* noise, bool stateless) const override {
    const int m = w.shape.memory, c = w.shape.channels, x = w.shape.inputs;
    if (stateless) b.Reset();
    // a = [h, o, x]; z and r from one product.
    b.concat.leftCols(m) = b.memory;
    b.concat.middleCols(m, c) = b.output;
    b.concat.rightCols(x) = b.input;
    b.gates.noalias() = b.concat * w.gates;
    b.gates.rowwise() += w.gates_bias;
    b.gates = (1.0f + (-b.gates.array()).exp()).inverse().matrix();  // sigmoid
    // h~ = tanh(W_c [r * h, o, x] + b_c): only the memory block of a changes.
    b.concat.leftCols(m) = b.gates.rightCols(m).cwiseProduct(b.memory);
    b.candidate.noalias() = b.concat * w.candidate;
    b.candidate.rowwise() += w.candidate_bias;
    b.candidate = b.candidate.array().tanh().matrix();
    // h = (1 - z) h + z h~ = h + z (h~ - h)
    b.memory += b.gates.leftCols(m).cwiseProduct(b.candidate - b.memory);
    b.output.noalias() = b.memory * w.output;
    b.output.rowwise() += w.output_bias;
    if (noise != nullptr && noise->size() > 0) b.output += *noise;
    b.output = b.output.cwiseMax(0.0f).cwiseMin(1.0f);
  }
};
}  // namespace

const EnuKernel& CpuEnuKernel() {
  static const EigenEnuKernel kernel;
  return kernel;
}

}  // namespace neurevo

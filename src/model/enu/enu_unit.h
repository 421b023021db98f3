// The Evolvable Neural Unit (ENU; Bertens & Lee 2019, DESIGN.md §2): a small
// gated recurrent unit with memory h (M values), output o (C channels) and
// input x (X values):
//
//   a  = [h, o, x]
//   z  = sigmoid(W_z a + b_z),  r = sigmoid(W_r a + b_r)
//   h~ = tanh(W_c [r * h, o, x] + b_c)
//   h  = (1 - z) * h + z * h~
//   o  = clip(W_o h + b_o + noise, 0, 1)
//
// The output is fed back as input at the next step. One weight set (a
// chromosome) is shared by every unit of a kind; each unit keeps its own h
// and o. Units of a kind therefore advance together as matrix products: a
// batch of U units is a U x K matrix of [h, o, x] rows times the K x 2M gate
// weights, and so on (K = M + C + X).
//
// EnuKernel is the seam where a GPU backend would plug in (the population
// dimension in front: (P, U, K) x (P, K, M)); the CPU kernel uses Eigen's
// GEMM on float32.
#pragma once

#include <Eigen/Dense>
#include <span>
#include <string>

#include "neurevo/genome_layout.h"

namespace neurevo {

using EnuMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using EnuRow = Eigen::Matrix<float, 1, Eigen::Dynamic>;

struct EnuShape {
  int memory = 32;    // M
  int channels = 16;  // C
  int inputs = 16;    // X
  int fan_in() const { return memory + channels + inputs; }  // K
  // Multiply-adds of one unit step (the three gate products and the output).
  long long multiply_adds() const {
    return 3LL * fan_in() * memory + static_cast<long long>(memory) * channels;
  }
};

// One chromosome, decoded: the weights every unit of a kind shares.
struct EnuWeights {
  EnuShape shape;
  EnuMatrix gates;      // K x 2M: columns [0, M) z, [M, 2M) r
  EnuRow gates_bias;    // 2M
  EnuMatrix candidate;  // K x M
  EnuRow candidate_bias;
  EnuMatrix output;     // M x C
  EnuRow output_bias;

  // Adds the families "<name>_gates", "<name>_gates_bias", "<name>_candidate",
  // "<name>_candidate_bias", "<name>_output", "<name>_output_bias": a gene u
  // maps to (2u - 1) * scale / sqrt(fan_in) (fan_in K for the gates, M for
  // the output), so a genome centred at 0.5 is a unit of zero weights
  // (silent but for the output noise).
  static void AddFamilies(GenomeLayout& layout, const std::string& name, const EnuShape& shape, double scale);
  static EnuWeights Decode(const GenomeLayout& layout, const std::string& name, const EnuShape& shape,
                           std::span<const double> genome);
};

// The running state of a batch of units of one kind.
struct EnuBatch {
  EnuMatrix memory;  // U x M
  EnuMatrix output;  // U x C
  EnuMatrix input;   // U x X: written by the caller before Step
  // Scratch, kept between steps so that stepping allocates nothing.
  EnuMatrix concat, gates, candidate;

  EnuBatch() = default;
  EnuBatch(int units, const EnuShape& shape);
  int units() const { return static_cast<int>(memory.rows()); }
  void Reset();  // h = 0, o = 0
};

// Advances a batch of units one step. `noise` (U x C, may be empty) is added
// to the output pre-activation. With `stateless`, every step starts from
// h = 0 and o = 0: a unit without memory, whose output is a fixed function
// of its current input (the building block of the T-maze's control that
// cannot learn within its lifetime; EnuModel also clears the network's
// activity between environment steps).
class EnuKernel {
 public:
  virtual ~EnuKernel() = default;
  virtual void Step(const EnuWeights& weights, EnuBatch& batch, const EnuMatrix* noise, bool stateless) const = 0;
};

// Eigen on the CPU (float32 GEMM).
const EnuKernel& CpuEnuKernel();

}  // namespace neurevo

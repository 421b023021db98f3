// Eight floats in one AVX register, through GCC/Clang vector extensions:
// portable (any target; AVX code with -march=native) and with IEEE
// semantics per lane, so vector code gives the scalar code's results.
#pragma once

namespace neurevo {

using Float8 = float __attribute__((vector_size(32)));
using Float8Unaligned = float __attribute__((vector_size(32), aligned(4), may_alias));

inline Float8 Load8(const float* p) { return *reinterpret_cast<const Float8Unaligned*>(p); }
inline void Store8(float* p, Float8 x) { *reinterpret_cast<Float8Unaligned*>(p) = x; }

}  // namespace neurevo

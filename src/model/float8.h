// Eight floats in one AVX register, through GCC/Clang vector extensions:
// portable (any target; AVX code with -march=native) and with IEEE
// semantics per lane, so vector code gives the scalar code's results.
#pragma once

namespace neurevo {

using Float8 = float __attribute__((vector_size(32)));
using Float4 = float __attribute__((vector_size(16)));

// Unaligned loads and stores through memcpy: one vmovups each, and defined
// behaviour on any address (an under-aligned vector typedef is not: clang
// keeps the vector's natural 32-byte alignment, and UBSan rightly objects).
inline Float8 Load8(const float* p) {
  Float8 x;
  __builtin_memcpy(&x, p, sizeof x);
  return x;
}
inline void Store8(float* p, Float8 x) { __builtin_memcpy(p, &x, sizeof x); }
inline void Store4(float* p, Float4 x) { __builtin_memcpy(p, &x, sizeof x); }

// Transposes the 8 x 8 matrix whose rows are r[0..7] (unpack, shuffle and
// 128-bit permute stages; pure data movement).
inline void Transpose8x8(Float8 r[8]) {
  Float8 a[8], b[8];
  for (int i = 0; i < 8; i += 2) {
    a[i] = __builtin_shufflevector(r[i], r[i + 1], 0, 8, 1, 9, 4, 12, 5, 13);
    a[i + 1] = __builtin_shufflevector(r[i], r[i + 1], 2, 10, 3, 11, 6, 14, 7, 15);
  }
  for (int i = 0; i < 8; i += 4)
    for (int h = 0; h < 2; ++h) {
      b[i + 2 * h] = __builtin_shufflevector(a[i + h], a[i + 2 + h], 0, 1, 8, 9, 4, 5, 12, 13);
      b[i + 2 * h + 1] = __builtin_shufflevector(a[i + h], a[i + 2 + h], 2, 3, 10, 11, 6, 7, 14, 15);
    }
  for (int i = 0; i < 4; ++i) {
    r[i] = __builtin_shufflevector(b[i], b[i + 4], 0, 1, 2, 3, 8, 9, 10, 11);
    r[i + 4] = __builtin_shufflevector(b[i], b[i + 4], 4, 5, 6, 7, 12, 13, 14, 15);
  }
}

}  // namespace neurevo

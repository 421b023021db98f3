// Whether this build runs under AddressSanitizer or ThreadSanitizer: tests
// that set address-space limits skip there (the sanitizers reserve more).
// GCC defines __SANITIZE_*__; clang, which builds the sanitizer suites, has
// __has_feature.
#pragma once

namespace neurevo {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif
#else
inline constexpr bool kSanitized = false;
#endif

}  // namespace neurevo

// libFuzzer entry point (clang, `scripts/fuzz`): every input is a candidate design file.
#include <cstddef>
#include <cstdint>
#include <string>

#include "tests/fuzz/fuzz_one.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ridethrough::fuzz::fuzz_one(std::string(reinterpret_cast<const char*>(data), size));
  return 0;
}

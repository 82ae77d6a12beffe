#pragma once
// The store's schema, one migration per version (PRAGMA user_version). Each migration runs in its
// own transaction together with the version bump, so a crash leaves the file at a whole version.
#include <span>
#include <string_view>

namespace voiceops::store {

// migrations()[i] takes the schema from version i to version i + 1.
std::span<const std::string_view> migrations();

inline int schema_version() {
  return static_cast<int>(migrations().size());
}

}  // namespace voiceops::store

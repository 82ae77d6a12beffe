#include "connectors/curl_library.hpp"

#include <dlfcn.h>

namespace voiceops::connectors {
namespace {

template <typename F>
bool bind(void* handle, const char* name, F& function, std::string& missing) {
  function = reinterpret_cast<F>(::dlsym(handle, name));
  if (!function) missing += missing.empty() ? name : std::string(", ") + name;
  return function != nullptr;
}

}  // namespace

Result<std::shared_ptr<const CurlLibrary>, std::string> CurlLibrary::load() {
  void* raw = ::dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
  if (!raw) {
    const char* why = ::dlerror();
    return unexpected(std::string("cannot load libcurl.so.4 (install Debian's libcurl4): ") +
                      (why ? why : "unknown error"));
  }
  auto library = std::make_shared<CurlLibrary>();
  library->handle_ = std::shared_ptr<void>(raw, [](void* h) { ::dlclose(h); });
  std::string missing;
  bind(raw, "curl_easy_init", library->easy_init, missing);
  bind(raw, "curl_easy_setopt", library->easy_setopt, missing);
  bind(raw, "curl_easy_perform", library->easy_perform, missing);
  bind(raw, "curl_easy_getinfo", library->easy_getinfo, missing);
  bind(raw, "curl_easy_cleanup", library->easy_cleanup, missing);
  bind(raw, "curl_easy_reset", library->easy_reset, missing);
  bind(raw, "curl_easy_strerror", library->easy_strerror, missing);
  bind(raw, "curl_slist_append", library->slist_append, missing);
  bind(raw, "curl_slist_free_all", library->slist_free_all, missing);
  CURLcode (*global_init)(long) = nullptr;
  bind(raw, "curl_global_init", global_init, missing);
  if (!missing.empty())
    return unexpected("libcurl.so.4 lacks " + missing + ": it is not the libcurl voiceops needs");
  // Reference-counted and, in the libcurl Debian 12 ships (7.88, built thread-safe), safe to call
  // from any thread; never undone, as other parts of the process may still use it.
  if (const CURLcode rc = global_init(CURL_GLOBAL_DEFAULT); rc != CURLE_OK)
    return unexpected("libcurl failed to initialise: " + std::string(library->easy_strerror(rc)));
  return std::shared_ptr<const CurlLibrary>(std::move(library));
}

}  // namespace voiceops::connectors

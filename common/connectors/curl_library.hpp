#pragma once
// libcurl, loaded by the first HTTP client a process makes rather than linked: linking it would
// cost every `voiceops` start its symbol binding (about 7 ms), HTTP or not. The header gives the
// types and constants; the functions come from libcurl.so.4 (Debian's libcurl4).
#include <curl/curl.h>

#include <memory>
#include <string>

#include "base/result.hpp"

namespace voiceops::connectors {

struct CurlLibrary {
  CURL* (*easy_init)() = nullptr;
  CURLcode (*easy_setopt)(CURL*, CURLoption, ...) = nullptr;
  CURLcode (*easy_perform)(CURL*) = nullptr;
  CURLcode (*easy_getinfo)(CURL*, CURLINFO, ...) = nullptr;
  void (*easy_cleanup)(CURL*) = nullptr;
  void (*easy_reset)(CURL*) = nullptr;  // options back to defaults; connections kept
  const char* (*easy_strerror)(CURLcode) = nullptr;
  curl_slist* (*slist_append)(curl_slist*, const char*) = nullptr;
  void (*slist_free_all)(curl_slist*) = nullptr;

  // Opens libcurl (dlopen counts references, so each call is cheap after the first) and runs its
  // global initialisation; the error says what to install.
  static Result<std::shared_ptr<const CurlLibrary>, std::string> load();

 private:
  std::shared_ptr<void> handle_;  // the dlopen handle, closed with the last user
};

}  // namespace voiceops::connectors

#pragma once
// libcurl, loaded the first time a push needs it. Linked in, libcurl and its dependencies (TLS,
// Kerberos, LDAP, SSH...) cost every shapeq command about 4 ms of start-up here, which the probe
// would pay against lstopo on every run; only `push` and `qualify --gateway` use it.
#include <curl/curl.h>

namespace shapeq {

struct LazyCurl {
  decltype(&curl_global_init) global_init;
  decltype(&curl_easy_init) easy_init;
  decltype(&curl_easy_setopt) easy_setopt;
  decltype(&curl_easy_perform) easy_perform;
  decltype(&curl_easy_getinfo) easy_getinfo;
  decltype(&curl_easy_cleanup) easy_cleanup;
  decltype(&curl_easy_strerror) easy_strerror;
  decltype(&curl_slist_append) slist_append;
  decltype(&curl_slist_free_all) slist_free_all;
  decltype(&curl_easy_escape) easy_escape;
  decltype(&curl_free) free;
};

// Loaded and globally initialised once; throws Error(kEnvironment) when libcurl.so.4 is missing.
const LazyCurl& Curl();

}  // namespace shapeq

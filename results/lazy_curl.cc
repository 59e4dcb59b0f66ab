#include "results/lazy_curl.h"

#include <dlfcn.h>

#include <string>

#include "common/error.h"

namespace shapeq {
namespace {

template <typename Function>
void Resolve(void* library, const char* name, Function& out) {
  out = reinterpret_cast<Function>(dlsym(library, name));
  if (!out) throw Error(ExitCode::kEnvironment, std::string("libcurl.so.4 lacks ") + name + ": install Debian's libcurl4");
}

LazyCurl Load() {
  void* library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
  if (!library) throw Error(ExitCode::kEnvironment, std::string("cannot load libcurl (") + dlerror() + "): install Debian's libcurl4");
  LazyCurl c{};
  Resolve(library, "curl_global_init", c.global_init);
  Resolve(library, "curl_easy_init", c.easy_init);
  Resolve(library, "curl_easy_setopt", c.easy_setopt);
  Resolve(library, "curl_easy_perform", c.easy_perform);
  Resolve(library, "curl_easy_getinfo", c.easy_getinfo);
  Resolve(library, "curl_easy_cleanup", c.easy_cleanup);
  Resolve(library, "curl_easy_strerror", c.easy_strerror);
  Resolve(library, "curl_slist_append", c.slist_append);
  Resolve(library, "curl_slist_free_all", c.slist_free_all);
  Resolve(library, "curl_easy_escape", c.easy_escape);
  Resolve(library, "curl_free", c.free);
  if (c.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw Error(ExitCode::kEnvironment, "libcurl could not start");
  return c;  // the library stays loaded for the life of the process
}

}  // namespace

const LazyCurl& Curl() {
  static const LazyCurl curl = Load();
  return curl;
}

}  // namespace shapeq

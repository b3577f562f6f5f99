// libFuzzer entry points: the target named by $FUZZ runs on every input.
// `FUZZ=list cairn-fuzz` prints the target names.
#include "test/fuzz/fuzz.h"

#include <cstdio>
#include <cstdlib>
#include <map>

namespace cairn::fuzz {

static std::map<std::string, Target>& Targets()
{
    static std::map<std::string, Target> targets;
    return targets;
}

Register::Register(const std::string& name, Target target) { Targets().emplace(name, std::move(target)); }

static Target* g_target = nullptr;

} // namespace cairn::fuzz

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    using namespace cairn::fuzz;
    const char* name = std::getenv("FUZZ");
    if (!name || std::string(name) == "list") {
        for (auto& [n, t] : Targets()) std::puts(n.c_str());
        std::exit(name ? 0 : 1);
    }
    auto it = Targets().find(name);
    if (it == Targets().end()) {
        std::fprintf(stderr, "Error: unknown fuzz target %s (FUZZ=list lists them)\n", name);
        std::exit(1);
    }
    g_target = &it->second;
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    (*cairn::fuzz::g_target)(cairn::ByteSpan(data, size));
    return 0;
}

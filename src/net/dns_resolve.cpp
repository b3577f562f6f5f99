#include "net/dns_resolve.h"

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <netdb.h>
#include <thread>

namespace cairn {

namespace {

/** Shared by the caller and the helper thread, which may outlive the call. */
struct Lookup {
    std::mutex mutex;
    std::condition_variable cv;
    bool done{false};
    std::vector<NetAddr> result;
};

} // namespace

std::vector<NetAddr> ResolveHost(const std::string& host, size_t max_results, const std::function<bool()>& interrupted)
{
    if (auto numeric = NetAddr::Parse(host)) return {*numeric};
    auto lookup = std::make_shared<Lookup>();
    std::thread([lookup, host, max_results] {
        addrinfo hints{};
        hints.ai_family = AF_UNSPEC;
        hints.ai_socktype = SOCK_STREAM;
        hints.ai_flags = AI_ADDRCONFIG;
        addrinfo* res = nullptr;
        std::vector<NetAddr> out;
        if (getaddrinfo(host.c_str(), nullptr, &hints, &res) == 0) {
            for (addrinfo* p = res; p && out.size() < max_results; p = p->ai_next) {
                if (auto s = Service::FromSockAddr(p->ai_addr, p->ai_addrlen)) out.push_back(*s);
            }
            freeaddrinfo(res);
        }
        std::lock_guard lock(lookup->mutex);
        lookup->result = std::move(out);
        lookup->done = true;
        lookup->cv.notify_all();
    }).detach();
    std::unique_lock lock(lookup->mutex);
    while (!lookup->done) {
        if (interrupted()) return {};
        lookup->cv.wait_for(lock, std::chrono::milliseconds(100));
    }
    return std::move(lookup->result);
}

} // namespace cairn

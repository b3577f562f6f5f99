#include "node/shutdown.h"

#include "util/log.h"

#include <atomic>
#include <csignal>
#include <cstdint>
#include <unistd.h>

namespace cairn {

namespace {

std::atomic<bool> g_requested{false};
// A self-pipe: the only async-signal-safe way to wake a waiting thread.
int g_pipe[2] = {-1, -1};

void Wake()
{
    if (g_pipe[1] >= 0) {
        const uint8_t b = 1;
        [[maybe_unused]] ssize_t r = write(g_pipe[1], &b, 1);
    }
}

extern "C" void HandleSignal(int)
{
    g_requested.store(true);
    Wake();
}

// SIGHUP: log rotation, as Core (debug.log is reopened before the next line).
extern "C" void HandleHangup(int)
{
    Logger::Instance().RequestReopen();
}

} // namespace

void InstallShutdownSignalHandlers()
{
    if (g_pipe[0] < 0 && pipe(g_pipe) != 0) g_pipe[0] = g_pipe[1] = -1;
    struct sigaction sa {};
    sa.sa_handler = HandleSignal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGINT, &sa, nullptr);
    struct sigaction hup {};
    hup.sa_handler = HandleHangup;
    sigemptyset(&hup.sa_mask);
    sigaction(SIGHUP, &hup, nullptr);
    signal(SIGPIPE, SIG_IGN);
}

void RequestShutdown()
{
    g_requested.store(true);
    Wake();
}

bool ShutdownRequested() { return g_requested.load(); }

void WaitForShutdown()
{
    while (!g_requested.load()) {
        if (g_pipe[0] < 0) {
            usleep(100000);
            continue;
        }
        uint8_t b;
        if (read(g_pipe[0], &b, 1) < 0) usleep(100000);
    }
}

} // namespace cairn

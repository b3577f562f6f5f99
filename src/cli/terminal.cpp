#include "cli/terminal.h"

#include <poll.h>
#include <termios.h>
#include <unistd.h>

namespace cairn {

bool StdinTerminal()
{
    return isatty(STDIN_FILENO);
}

bool StdinReady()
{
    if (!StdinTerminal()) return true;
    pollfd p{};
    p.fd = STDIN_FILENO;
    p.events = POLLIN;
    return poll(&p, 1, 0) == 1;
}

NoStdinEcho::NoStdinEcho()
{
    termios t{};
    if (tcgetattr(STDIN_FILENO, &t) != 0) return;
    m_saved_lflag = t.c_lflag;
    t.c_lflag &= ~tcflag_t(ECHO);
    m_restore = tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0;
}

NoStdinEcho::~NoStdinEcho()
{
    if (!m_restore) return;
    termios t{};
    if (tcgetattr(STDIN_FILENO, &t) != 0) return;
    t.c_lflag = tcflag_t(m_saved_lflag);
    tcsetattr(STDIN_FILENO, TCSANOW, &t);
}

} // namespace cairn

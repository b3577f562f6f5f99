// Standard-input helpers for -stdin, -stdinrpcpass and -stdinwalletpassphrase.
#ifndef CAIRN_CLI_TERMINAL_H
#define CAIRN_CLI_TERMINAL_H

namespace cairn {

/** True if standard input is a terminal. */
bool StdinTerminal();
/** True if a read from standard input would not block (always true when it
 *  is not a terminal), so that no prompt is printed for piped input. */
bool StdinReady();

/** Turns off the echo of a terminal on standard input while it lives. */
class NoStdinEcho
{
public:
    NoStdinEcho();
    ~NoStdinEcho();
    NoStdinEcho(const NoStdinEcho&) = delete;
    NoStdinEcho& operator=(const NoStdinEcho&) = delete;

private:
    bool m_restore{false};
    unsigned m_saved_lflag{0};
};

} // namespace cairn

#endif

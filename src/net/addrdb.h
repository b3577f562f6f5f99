// Files of the P2P layer in the network datadir, in Bitcoin Core's formats:
//
//   peers.dat    network magic (4) | address manager body | SHA-256d of the two (32)
//   anchors.dat  network magic (4) | CompactSize n, n addresses (disk form) | SHA-256d (32)
//
// Written to a temporary file in the same folder, synced, then renamed over
// the old one, so a crash leaves the old file or the new one. See
// doc/design/p2p.md for the byte layout.
#ifndef CAIRN_NET_ADDRDB_H
#define CAIRN_NET_ADDRDB_H

#include "net/addrman.h"
#include "net/protocol.h"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace cairn {

/** Core's LoadAddrman for an empty `addrman`:
 *  - no file: logged, an empty peers.dat is written, nullopt;
 *  - a newer incompatible format: moved to peers.dat.bak, an empty one written, nullopt;
 *  - damaged (bad magic, checksum, truncated, inconsistent): the init error to show
 *    ("Invalid or corrupt peers.dat (...). ..."), and `addrman` is left empty. */
std::optional<std::string> LoadPeersDat(const std::filesystem::path& path, const MessageStart& magic, AddrMan& addrman);
/** Writes peers.dat; false (logged) on an I/O error. */
bool DumpPeersDat(const std::filesystem::path& path, const MessageStart& magic, const AddrMan& addrman);

/** Reads anchors.dat and deletes it (anchors are used once); empty if missing or damaged. */
std::vector<AddrEntry> ReadAnchors(const std::filesystem::path& path, const MessageStart& magic);
bool DumpAnchors(const std::filesystem::path& path, const MessageStart& magic, const std::vector<AddrEntry>& anchors);

/** The checked file frame: throws std::runtime_error with Core's messages ("Invalid network
 *  magic number", "Checksum mismatch, data corrupted", "AutoFile::read: end of file: ...").
 *  `body` reads the payload from the reader. */
void ReadHashedFile(ByteSpan file, const MessageStart& magic, const std::function<void(Reader&)>& body);
/** Atomically writes magic | body | SHA-256d(magic | body). `tmp_prefix` names the temporary file. */
bool WriteHashedFile(const std::filesystem::path& path, const MessageStart& magic, ByteSpan body,
                     const std::string& tmp_prefix);

} // namespace cairn

#endif

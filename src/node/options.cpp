#include "node/options.h"

#include "util/log.h"

#include <string>

namespace cairn {

namespace {

constexpr unsigned ANY = ArgsManager::ALLOW_ANY;
constexpr unsigned DEBUG = ArgsManager::DEBUG_ONLY;
constexpr unsigned NET = ArgsManager::NETWORK_ONLY;
constexpr unsigned SECRET = ArgsManager::SENSITIVE;
constexpr unsigned NO_NEG = ArgsManager::DISALLOW_NEGATION;
constexpr unsigned NO_ELIDE = ArgsManager::DISALLOW_ELISION;
/** A Bitcoin Core option Cairn accepts but does not implement yet. */
constexpr unsigned TODO = ArgsManager::NOT_IMPLEMENTED;

using C = OptionCategory;

void RegisterGeneral(ArgsManager& a)
{
    a.AddArg("-help", "Print this help message and exit (also -h or -?)", ANY, C::OPTIONS);
    a.AddArg("-version", "Print version and exit", ANY, C::OPTIONS);
    a.AddArg("-alertnotify=<cmd>",
             "Run this command when an alert is raised (%s in cmd is replaced by the message)", ANY | TODO,
             C::OPTIONS);
    a.AddArg("-allowignoredconf",
             "For backwards compatibility, only warn (instead of failing) when the datadir holds a bitcoin.conf "
             "that is not the configuration file being used.",
             ANY, C::OPTIONS);
    a.AddArg("-assumevalid=<hex>",
             "If this block is in the chain, assume it and its ancestors are valid and possibly skip their script "
             "checks (0 to verify everything; default: the block built into each network's parameters)",
             ANY, C::OPTIONS);
    a.AddArg("-blockfilterindex=<type>",
             "Maintain an index of compact block filters (default: 0, values: basic). With no <type>, or <type> = "
             "1, every known filter type is indexed.",
             ANY | TODO, C::OPTIONS);
    a.AddArg("-blocknotify=<cmd>", "Run this command whenever the best block changes (%s in cmd is replaced by the "
             "block hash)", ANY, C::OPTIONS);
    a.AddArg("-blockreconstructionextratxn=<n>",
             "Extra transactions kept in memory to help reconstruct compact blocks (default: 100)", ANY,
             C::OPTIONS);
    a.AddArg("-blocksdir=<dir>", "Directory that holds the blocks subdirectory with the *.dat files (default: <datadir>)",
             ANY, C::OPTIONS);
    a.AddArg("-blocksonly",
             "Reject transactions from network peers. Also stops automatic broadcast and rebroadcast of "
             "transactions unless the source peer has the 'forcerelay' permission; transactions sent over RPC are "
             "not affected. (default: 0)",
             ANY, C::OPTIONS);
    a.AddArg("-blocksxor",
             "Whether an XOR key applies to the blocksdir *.dat files. The key created is all zeros for an existing "
             "blocksdir or when `-blocksxor=0` is set, and random for a newly created blocksdir. (default: 1)",
             ANY, C::OPTIONS);
    a.AddArg("-coinstatsindex", "Maintain the coin statistics index used by gettxoutsetinfo (default: 0)", ANY | TODO,
             C::OPTIONS);
    a.AddArg("-conf=<file>",
             "Read-only configuration file. A relative path is taken relative to the datadir. Command line only, not "
             "in a configuration file. (default: cairn.conf, or bitcoin.conf when the datadir has no cairn.conf)",
             ANY, C::OPTIONS);
    a.AddArg("-daemon", "Run in the background as a daemon and accept commands (default: 0)", ANY, C::OPTIONS);
    a.AddArg("-daemonwait", "Wait until initialization has finished before exiting; implies -daemon (default: 0)",
             ANY | TODO, C::OPTIONS);
    a.AddArg("-datadir=<dir>", "Data directory", ANY | NO_NEG, C::OPTIONS);
    a.AddArg("-dbbatchsize", "Largest database write batch, in bytes (default: 4194304)", ANY | DEBUG,
             C::OPTIONS);
    a.AddArg("-dbcache=<n>",
             "Database cache size in MiB (minimum 4, default: 450). Make sure enough RAM is available. Memory the "
             "mempool does not use is also lent to this cache (see -maxmempool).",
             ANY, C::OPTIONS);
    a.AddArg("-debuglogfile=<file>",
             "Location of the debug log (default: debug.log). A relative path is taken relative to the network "
             "datadir. -nodebuglogfile turns off logging to a file.",
             ANY, C::OPTIONS);
    a.AddArg("-includeconf=<file>",
             "Additional configuration file, relative to the -datadir path (only in a configuration file, not on "
             "the command line)",
             ANY, C::OPTIONS);
    a.AddArg("-loadblock=<file>", "Import blocks from this external blk*.dat-format file at startup", ANY, C::OPTIONS);
    a.AddArg("-maxmempool=<n>", "Keep the transaction memory pool below <n> megabytes (default: 300)", ANY,
             C::OPTIONS);
    a.AddArg("-maxorphantx=<n>", "Keep at most <n> unconnectable transactions in memory (default: 100)", ANY | TODO,
             C::OPTIONS);
    a.AddArg("-mempoolexpiry=<n>", "Drop transactions from the mempool after <n> hours (default: 336)", ANY,
             C::OPTIONS);
    a.AddArg("-minimumchainwork=<hex>",
             "Minimum total work, in hex, a chain must have to be considered valid (default: the value built into "
             "each network's parameters)",
             ANY | DEBUG, C::OPTIONS);
    a.AddArg("-par=<n>",
             "Number of script verification threads (0 = automatic, up to 15; <0 = leave that many cores free; "
             "default: 0)",
             ANY, C::OPTIONS);
    a.AddArg("-persistmempool", "Save the mempool at shutdown and load it at startup (default: 1)", ANY,
             C::OPTIONS);
    a.AddArg("-persistmempoolv1",
             "Write mempool.dat (from -persistmempool or the savemempool RPC) in the legacy version 1 format "
             "instead of version 2. Temporary; it will be removed. (default: 0)",
             ANY, C::OPTIONS);
    a.AddArg("-pid=<file>",
             std::string("PID file. A relative path is taken relative to the network datadir. (default: ") +
                 DEFAULT_PID_FILENAME + ")",
             ANY, C::OPTIONS);
    a.AddArg("-prune=<n>",
             "Reduce disk usage by pruning (deleting) old blocks. Enables the pruneblockchain RPC and, when a target "
             "size in MiB is given, automatic pruning. Incompatible with -txindex. Warning: undoing this needs the "
             "whole blockchain downloaded again. (default: 0 = keep all blocks, 1 = prune only through the RPC, "
             ">=550 = prune automatically to stay under this many MiB of block files)",
             ANY, C::OPTIONS);
    a.AddArg("-reindex",
             "Wipe the chain state and the block index and rebuild both from the blk*.dat files on disk; active "
             "optional indexes are wiped and rebuilt too. A loaded assumeutxo snapshot's chainstate is also wiped "
             "(it can be loaded again over RPC).",
             ANY, C::OPTIONS);
    a.AddArg("-reindex-chainstate",
             "Wipe the chain state and rebuild it from the blk*.dat files on disk. A loaded assumeutxo snapshot's "
             "chainstate is also wiped (it can be loaded again over RPC).",
             ANY, C::OPTIONS);
    a.AddArg("-settings=<file>",
             "Dynamic settings file, written while the node runs and not meant to be edited by hand (put your own "
             "settings in the configuration file). A relative path is taken relative to the network datadir. "
             "-nosettings disables it. (default: settings.json)",
             ANY, C::OPTIONS);
    a.AddArg("-shutdownnotify=<cmd>",
             "Run this command right before shutdown begins. Shutdown may be urgent, so the command should return "
             "quickly (fork into the background if it does not need the node).",
             ANY, C::OPTIONS);
    a.AddArg("-startupnotify=<cmd>", "Run this command at startup.", ANY, C::OPTIONS);
    a.AddArg("-txindex", "Maintain a full transaction index, used by getrawtransaction (default: 0)", ANY | TODO, C::OPTIONS);
}

void RegisterConnection(ArgsManager& a)
{
    a.AddArg("-addnode=<ip>",
             "Connect to this node and try to keep the connection open (see the addnode RPC). May be given several "
             "times; at most 8 such connections are made, counted apart from -maxconnections.",
             ANY | NET, C::CONNECTION);
    a.AddArg("-asmap=<file>",
             "AS-number mapping file used to bucket peers (default: ip_asn.map). A relative path is taken relative "
             "to the network datadir.",
             ANY | TODO, C::CONNECTION);
    a.AddArg("-bantime=<n>", "Default length, in seconds, of manual bans (default: 86400)", ANY,
             C::CONNECTION);
    a.AddArg("-bind=<addr>[:<port>][=onion]",
             "Always listen on this address (default: 0.0.0.0). Use [host]:port for IPv6. A trailing =onion marks "
             "connections to it as coming in through Tor (default: 127.0.0.1:8334=onion, testnet3: "
             "127.0.0.1:18334=onion, testnet4: 127.0.0.1:48334=onion, signet: 127.0.0.1:38334=onion, regtest: "
             "127.0.0.1:18445=onion)",
             ANY | NET, C::CONNECTION);
    a.AddArg("-cjdnsreachable",
             "This host is configured for CJDNS: connections to fc00::/8 addresses reach the CJDNS network "
             "(default: 0)",
             ANY | TODO, C::CONNECTION);
    a.AddArg("-connect=<ip>",
             "Connect only to this node; -noconnect disables automatic connections (the same rules as -addnode "
             "apply to this peer). May be given several times.",
             ANY | NET, C::CONNECTION);
    a.AddArg("-discover", "Discover our own IP addresses (default: 1 when listening without -externalip or -proxy)",
             ANY, C::CONNECTION);
    a.AddArg("-dns", "Allow DNS lookups for -addnode, -seednode and -connect (default: 1)", ANY,
             C::CONNECTION);
    a.AddArg("-dnsseed",
             "Ask DNS seeds for peer addresses when few are known (default: 1 unless -connect is used or "
             "-maxconnections=0)",
             ANY, C::CONNECTION);
    a.AddArg("-externalip=<ip>", "Our own public address", ANY, C::CONNECTION);
    a.AddArg("-fixedseeds", "Use the built-in seed addresses when DNS seeds give no peers (default: 1)", ANY,
             C::CONNECTION);
    a.AddArg("-forcednsseed", "Always ask DNS seeds for peer addresses (default: 0)", ANY, C::CONNECTION);
    a.AddArg("-i2pacceptincoming",
             "Accept inbound I2P connections (default: 1). Ignored without -i2psam; inbound I2P connections come "
             "through the SAM proxy, not a local listening socket.",
             ANY | TODO, C::CONNECTION);
    a.AddArg("-i2psam=<ip:port>", "I2P SAM proxy used to reach I2P peers and accept I2P connections (default: none)",
             ANY | TODO, C::CONNECTION);
    a.AddArg("-listen", "Accept connections from outside (default: 1 without -proxy, -connect or -maxconnections=0)",
             ANY, C::CONNECTION);
    a.AddArg("-listenonion", "Create a Tor onion service automatically (default: 1)", ANY | TODO, C::CONNECTION);
    a.AddArg("-maxconnections=<n>",
             "Keep at most <n> automatic peer connections (default: 125). Connections added with -addnode or the "
             "addnode RPC are not counted; they have their own limit of 8.",
             ANY, C::CONNECTION);
    a.AddArg("-maxreceivebuffer=<n>", "Receive buffer per connection, <n>*1000 bytes at most (default: 5000)",
             ANY, C::CONNECTION);
    a.AddArg("-maxsendbuffer=<n>", "Send buffer per connection, <n>*1000 bytes at most (default: 1000)", ANY,
             C::CONNECTION);
    a.AddArg("-maxuploadtarget=<n>",
             "Try to keep outbound traffic under this amount per 24 hours. Peers with the 'download' permission and "
             "blocks from the last week are exempt. 0 = no limit (default: 0M). Optional unit suffix "
             "[k|K|m|M|g|G|t|T] (default: M); lower case is base 1000, upper case base 1024",
             ANY, C::CONNECTION);
    a.AddArg("-natpmp", "Map the listening port with PCP or NAT-PMP (default: 0)", ANY | TODO, C::CONNECTION);
    a.AddArg("-networkactive", "Enable all P2P network activity (default: 1); the setnetworkactive RPC changes it",
             ANY, C::CONNECTION);
    a.AddArg("-onion=<ip:port|path>",
             "Separate SOCKS5 proxy for reaching peers through Tor onion services; -noonion disables it (default: "
             "-proxy). May be a local socket path prefixed with 'unix:'.",
             ANY, C::CONNECTION);
    a.AddArg("-onlynet=<net>",
             "Make automatic outbound connections only to network <net> (ipv4, ipv6, onion, i2p, cjdns). Inbound "
             "and manual connections are not affected. May be given several times.",
             ANY, C::CONNECTION);
    a.AddArg("-peerblockfilters", "Serve compact block filters to peers (BIP 157) (default: 0)", ANY | TODO,
             C::CONNECTION);
    a.AddArg("-peerbloomfilters", "Support bloom filtering of blocks and transactions (BIP 37) (default: 0)",
             ANY | TODO, C::CONNECTION);
    a.AddArg("-peertimeout=<n>",
             "Seconds to wait after connecting to a peer before disconnecting it for inactivity (minimum: 1, "
             "default: 60)",
             ANY | DEBUG, C::CONNECTION);
    a.AddArg("-port=<port>",
             "Listen for connections on <port> (default: 8333, testnet3: 18333, testnet4: 48333, signet: 38333, "
             "regtest: 18444). Not used for I2P. When set to x, the default onion listening port becomes x+1.",
             ANY | NET, C::CONNECTION);
    a.AddArg("-proxy=<ip:port|path>",
             "Connect through this SOCKS5 proxy; -noproxy disables it (default: disabled). May be a local socket "
             "path prefixed with 'unix:' if the proxy supports it.",
             ANY | NO_ELIDE, C::CONNECTION);
    a.AddArg("-proxyrandomize", "Use new credentials for every proxy connection, for Tor stream isolation (default: 1)",
             ANY, C::CONNECTION);
    a.AddArg("-seednode=<ip>",
             "Connect to this node to fetch peer addresses, then disconnect. May be given several times. Seed "
             "nodes are tried before DNS seeds at startup.",
             ANY, C::CONNECTION);
    a.AddArg("-timeout=<n>",
             "Socket connect timeout in milliseconds: an attempt still unanswered after this long is dropped "
             "(minimum: 1, default: 5000)",
             ANY, C::CONNECTION);
    a.AddArg("-torcontrol=<ip>:<port>",
             "Tor control address used when onion listening is on (default: 127.0.0.1:9051); the port defaults to "
             "9051.",
             ANY | TODO, C::CONNECTION);
    a.AddArg("-torpassword=<pass>", "Password of the Tor control port (default: empty)", ANY | SECRET | TODO,
             C::CONNECTION);
    a.AddArg("-txreconciliation", "Enable transaction reconciliation (BIP 330) (default: 0)", ANY | DEBUG | TODO,
             C::CONNECTION);
    a.AddArg("-v2transport", "Support the v2 encrypted transport (BIP 324) (default: 1)", ANY | TODO, C::CONNECTION);
    a.AddArg("-whitebind=<[permissions@]addr>",
             "Listen on this address and grant the listed permissions to peers connecting to it. Use [host]:port "
             "for IPv6. Permissions: bloomfilter (may request BIP 37 filtered blocks and transactions), noban (never "
             "banned for misbehavior; implies download), forcerelay (relay transactions already in the mempool; "
             "implies relay), relay (relay even with -blocksonly, and no limit on transaction announcements), "
             "mempool (may request the mempool contents, BIP 35), download (may fetch headers during IBD, not "
             "disconnected past -maxuploadtarget), addr (GETADDR replies bypass the cache and hold random, "
             "up-to-date records). Separate several with commas (default: download,noban,mempool,relay). May be "
             "given several times. Cairn has no BIP 37 filters, so bloomfilter is accepted but grants nothing.",
             ANY, C::CONNECTION);
    a.AddArg("-whitelist=<[permissions@]IP address or network>",
             "Grant permissions to peers from this IP address (e.g. 1.2.3.4) or CIDR network (e.g. 1.2.3.0/24), "
             "with the same permissions as -whitebind. The extra flags \"in\" and \"out\" choose whether they apply "
             "to inbound and/or manual outbound connections (default: inbound only). May be given several times.",
             ANY, C::CONNECTION);
}

void RegisterWallet(ArgsManager& a)
{
    a.AddArg("-addresstype",
             "Address type to use (\"legacy\", \"p2sh-segwit\", \"bech32\" or \"bech32m\", default: \"bech32\")",
             ANY | TODO, C::WALLET);
    a.AddArg("-avoidpartialspends",
             "Group outputs by address and spend all or none of a group, instead of choosing outputs one by one. "
             "This improves privacy, since addresses are mostly emptied in fewer transactions and change is gathered "
             "in fresh addresses, but may cost more in fees. Always on for wallets with \"avoid_reuse\", otherwise "
             "default: 0.",
             ANY | TODO, C::WALLET);
    a.AddArg("-changetype",
             "Change type to use (\"legacy\", \"p2sh-segwit\", \"bech32\" or \"bech32m\"). \"legacy\" when "
             "-addresstype=legacy; otherwise an implementation detail.",
             ANY | TODO, C::WALLET);
    a.AddArg("-consolidatefeerate=<amt>",
             "Highest fee rate (in BTC/kvB) at which building a transaction may use more inputs than needed, to "
             "shrink the wallet's UTXO pool (default: 0.0001).",
             ANY | TODO, C::WALLET);
    a.AddArg("-disablewallet", "Do not load the wallet and disable the wallet RPC calls", ANY, C::WALLET);
    a.AddArg("-discardfee=<amt>",
             "Fee rate (in BTC/kvB) up to which change may be dropped into the fee (default: 0.0001). An output is "
             "dropped if it is dust at this rate; dropping up to the dust relay fee always happens, and above it "
             "the rate is capped by the fee estimate for the longest target.",
             ANY | TODO, C::WALLET);
    a.AddArg("-fallbackfee=<amt>",
             "Fee rate (in BTC/kvB) used when fee estimation has too little data; 0 disables the fallback entirely "
             "(default: 0.00)",
             ANY | TODO, C::WALLET);
    a.AddArg("-keypool=<n>",
             "Key pool size (default: 1000). Warning: a smaller pool raises the risk of losing funds when restoring "
             "an old backup whose pre-generated addresses were never used.",
             ANY | TODO, C::WALLET);
    a.AddArg("-maxapsfee=<n>",
             "Extra absolute fee (in BTC) the wallet may spend to avoid partial spends (default: 0.00)", ANY | TODO,
             C::WALLET);
    a.AddArg("-mintxfee=<amt>",
             "Fee rates (in BTC/kvB) below this count as zero fee when creating transactions (default: 0.00001)",
             ANY | TODO, C::WALLET);
    a.AddArg("-paytxfee=<amt>", "Fee rate (in BTC/kvB) added to transactions you send (default: 0.00)", ANY | TODO,
             C::WALLET);
    a.AddArg("-signer=<cmd>", "External signing tool (see Bitcoin Core's doc/external-signer.md)", ANY | TODO,
             C::WALLET);
    a.AddArg("-spendzeroconfchange", "Spend unconfirmed change when sending (default: 1)", ANY | TODO, C::WALLET);
    a.AddArg("-txconfirmtarget=<n>",
             "Without -paytxfee, pay enough fee to start confirming within n blocks on average (default: 6)",
             ANY | TODO, C::WALLET);
    a.AddArg("-wallet=<path>",
             "Wallet to load at startup; may be given several times. The path names a directory holding the "
             "wallet's data and log files; a relative path is taken relative to <walletdir>. Only existing wallets "
             "are loaded, none is created. For compatibility, names of existing top-level data files in "
             "<walletdir> are accepted too.",
             ANY | NET | TODO, C::WALLET);
    a.AddArg("-walletbroadcast", "Make the wallet broadcast transactions (default: 1)", ANY | TODO, C::WALLET);
    a.AddArg("-walletdir=<dir>",
             "Directory holding the wallets (default: <datadir>/wallets if it exists, otherwise <datadir>)",
             ANY | NET, C::WALLET);
    a.AddArg("-walletnotify=<cmd>",
             "Run this command when a wallet transaction changes. In cmd, %s is replaced by the TxID, %w by the "
             "wallet name, %b by the hash of the block holding the transaction ('unconfirmed' if none) and %h by "
             "its height (-1 if none). Do not quote %w: that would break the shell escaping of the command.",
             ANY | TODO, C::WALLET);
    a.AddArg("-walletrbf", "Send transactions signalling full RBF opt-in (RPC only, default: 1)", ANY | TODO,
             C::WALLET);

    // Wallet debugging/testing (-dblogsize, -flushwallet, -privdb and
    // -swapbdbendian belong to the Berkeley DB wallet, dropped in Core v30).
    a.AddArg("-dblogsize=<n>",
             "Flush Berkeley DB wallet activity from memory to the disk log every <n> megabytes (default: 100)",
             ANY | DEBUG | TODO, C::WALLET_DEBUG_TEST);
    a.AddArg("-flushwallet", "Run a thread that flushes the wallet periodically (default: 1)", ANY | DEBUG | TODO,
             C::WALLET_DEBUG_TEST);
    a.AddArg("-privdb", "Set DB_PRIVATE in the Berkeley DB wallet environment (default: 1)", ANY | DEBUG | TODO,
             C::WALLET_DEBUG_TEST);
    a.AddArg("-swapbdbendian", "Swap the internal byte order of Berkeley DB wallet databases (default: false)",
             ANY | DEBUG | TODO, C::WALLET_DEBUG_TEST);
    a.AddArg("-unsafesqlitesync",
             "Run SQLite with synchronous=OFF so it does not wait for the disk. Unsafe: data loss and corruption "
             "can follow. Only for tests that need the speed (default: false)",
             ANY | DEBUG | TODO, C::WALLET_DEBUG_TEST);
    a.AddArg("-walletcrosschain", "Allow wallet files to be reused across chains (default: 0)", ANY | DEBUG | TODO,
             C::WALLET_DEBUG_TEST);
    a.AddArg("-walletrejectlongchains",
             "Do not create transactions that would break the mempool chain limits (default: 1)", ANY | DEBUG | TODO,
             C::WALLET_DEBUG_TEST);
    a.AddArg("-maxtxfee=<amt>",
             "Largest total fee (in BTC) of one wallet transaction; too low a value may abort large transactions "
             "(default: 0.10)",
             ANY | TODO, C::DEBUG_TEST);
}

void RegisterZmq(ArgsManager& a)
{
    a.AddArg("-zmqpubhashblock=<address>", "Publish block hashes on <address>", ANY | TODO, C::ZMQ);
    a.AddArg("-zmqpubhashblockhwm=<n>", "Outbound high-water mark of hashblock messages (default: 1000)", ANY | TODO,
             C::ZMQ);
    a.AddArg("-zmqpubhashtx=<address>", "Publish transaction hashes on <address>", ANY | TODO, C::ZMQ);
    a.AddArg("-zmqpubhashtxhwm=<n>", "Outbound high-water mark of hashtx messages (default: 1000)", ANY | TODO,
             C::ZMQ);
    a.AddArg("-zmqpubrawblock=<address>", "Publish raw blocks on <address>", ANY | TODO, C::ZMQ);
    a.AddArg("-zmqpubrawblockhwm=<n>", "Outbound high-water mark of rawblock messages (default: 1000)", ANY | TODO,
             C::ZMQ);
    a.AddArg("-zmqpubrawtx=<address>", "Publish raw transactions on <address>", ANY | TODO, C::ZMQ);
    a.AddArg("-zmqpubrawtxhwm=<n>", "Outbound high-water mark of rawtx messages (default: 1000)", ANY | TODO, C::ZMQ);
    a.AddArg("-zmqpubsequence=<address>", "Publish block and transaction sequence events on <address>", ANY | TODO,
             C::ZMQ);
    a.AddArg("-zmqpubsequencehwm=<n>", "Outbound high-water mark of sequence messages (default: 1000)", ANY | TODO,
             C::ZMQ);
}

void RegisterDebug(ArgsManager& a)
{
    a.AddArg("-help-debug", "Print the help message with the debugging options and exit", ANY, C::DEBUG_TEST);
    a.AddArg("-acceptstalefeeestimates",
             "Read fee estimates even when they are stale, i.e. older than 60 hours (regtest only; default: 0)",
             ANY | DEBUG, C::DEBUG_TEST);
    a.AddArg("-capturemessages", "Write every P2P message to disk", ANY | DEBUG | TODO, C::DEBUG_TEST);
    a.AddArg("-checkaddrman=<n>", "Check the address manager's consistency every <n> operations; 0 disables (default: 0)",
             ANY | DEBUG, C::DEBUG_TEST);
    a.AddArg("-checkblockindex",
             "Check the consistency of the block tree, chainstate and related structures every <n> operations; 0 "
             "disables (default: 0, regtest: 1)",
             ANY | DEBUG, C::DEBUG_TEST);
    a.AddArg("-checkblocks=<n>", "How many blocks to verify at startup (default: 6, 0 = all)", ANY | DEBUG,
             C::DEBUG_TEST);
    a.AddArg("-checklevel=<n>",
             "How thorough the -checkblocks verification is: level 0 reads the blocks from disk, level 1 checks "
             "their validity, level 2 checks the undo data, level 3 checks disconnecting the tip blocks, level 4 "
             "tries to reconnect them; each level includes the ones below (0-4, default: 3)",
             ANY | DEBUG, C::DEBUG_TEST);
    a.AddArg("-checkmempool=<n>",
             "Check the mempool's consistency every <n> transactions; 0 disables (default: 0, regtest: 1)",
             ANY | DEBUG, C::DEBUG_TEST);
    a.AddArg("-debug=<category>",
             "Write debug and trace logging (default: -nodebug; <category> is optional). Without <category>, or "
             "with 1 or \"all\", every category is logged; with 0 or \"none\", the other categories given are "
             "ignored. Other values of <category>: " +
                 LogCategoryNames() + ". May be given several times.",
             ANY, C::DEBUG_TEST);
    a.AddArg("-debugexclude=<category>",
             "Leave out debug and trace logging of this category; with -debug=1, every category but the excluded "
             "ones is logged. May be given several times. Takes priority over \"-debug\".",
             ANY, C::DEBUG_TEST);
    a.AddArg("-deprecatedrpc=<method>", "Allow this deprecated RPC method (or feature) to be used", ANY | DEBUG | TODO,
             C::DEBUG_TEST);
    a.AddArg("-limitancestorcount=<n>",
             "Reject transactions with <n> or more in-mempool ancestors (default: 25)", ANY | DEBUG,
             C::DEBUG_TEST);
    a.AddArg("-limitancestorsize=<n>",
             "Reject transactions whose size with all in-mempool ancestors is over <n> kilobytes (default: 101)",
             ANY | DEBUG, C::DEBUG_TEST);
    a.AddArg("-limitdescendantcount=<n>",
             "Reject transactions that would give an ancestor <n> or more in-mempool descendants (default: 25)",
             ANY | DEBUG, C::DEBUG_TEST);
    a.AddArg("-limitdescendantsize=<n>",
             "Reject transactions that would give an ancestor more than <n> kilobytes of in-mempool descendants "
             "(default: 101).",
             ANY | DEBUG, C::DEBUG_TEST);
    a.AddArg("-logips", "Include IP addresses in the log (default: 0)", ANY, C::DEBUG_TEST);
    a.AddArg("-loglevel=<level>|<category>:<level>",
             "Global or per-category severity level of the logging enabled with -debug or the logging RPC: trace, "
             "debug or info (default: debug). Errors, warnings and info are always logged. A <category>:<level> "
             "entry overrides the global level for that category and may be given several times. Categories: " +
                 LogCategoryNames() + ".",
             NO_NEG | NO_ELIDE | DEBUG, C::DEBUG_TEST);
    a.AddArg("-loglevelalways", "Always prefix log lines with a category and level (default: 0)", ANY | TODO,
             C::DEBUG_TEST);
    a.AddArg("-logratelimit",
             "Rate-limit unconditional logging to protect the disk from filling up (default: 1)", ANY | TODO, C::DEBUG_TEST);
    a.AddArg("-logsourcelocations",
             "Prefix log lines with their source location: file, line number and function (default: 0)", ANY | TODO,
             C::DEBUG_TEST);
    a.AddArg("-logthreadnames", "Prefix log lines with the name of the thread that wrote them (default: 0)", ANY,
             C::DEBUG_TEST);
    a.AddArg("-logtimemicros", "Log timestamps with microsecond precision (default: 0)", ANY | DEBUG, C::DEBUG_TEST);
    a.AddArg("-logtimestamps", "Prefix log lines with a timestamp (default: 1)", ANY, C::DEBUG_TEST);
    a.AddArg("-maxsigcachesize=<n>",
             "Combined size limit of the signature and script execution caches, in MiB (default: 32)", ANY | DEBUG,
             C::DEBUG_TEST);
    a.AddArg("-maxtipage=<n>",
             "Largest age of the tip, in seconds, for the node to count as synced rather than in initial block "
             "download (default: 86400)",
             ANY | DEBUG, C::DEBUG_TEST);
    a.AddArg("-mocktime=<n>", "Use this UNIX epoch time (seconds since 1970-01-01T00:00:00Z) instead of the clock "
             "(default: 0)", ANY | DEBUG, C::DEBUG_TEST);
    a.AddArg("-printpriority", "Log each transaction's fee rate in BTC/kvB when mining blocks (default: 0)",
             ANY | DEBUG, C::DEBUG_TEST);
    a.AddArg("-printtoconsole",
             "Write the log to the console (default: 1 without -daemon; -nodebuglogfile stops logging to the file)",
             ANY, C::DEBUG_TEST);
    a.AddArg("-shrinkdebugfile", "Shrink the debug log at startup (default: 1 without -debug)", ANY | TODO, C::DEBUG_TEST);
    a.AddArg("-stopafterblockimport", "Stop after importing the blocks from disk (default: 0)", ANY | DEBUG,
             C::DEBUG_TEST);
    a.AddArg("-stopatheight", "Stop once the main chain reaches this height (default: 0)", ANY | DEBUG,
             C::DEBUG_TEST);
    a.AddArg("-test=<option>",
             "A test-only option: addrman (deterministic address manager), "
             "reindex_after_failure_noninteractive_yes (answer 'yes' when a reindex is offered after a failure), "
             "bip94 (enforce the BIP 94 rules).",
             ANY | DEBUG, C::DEBUG_TEST);
    a.AddArg("-testactivationheight=name@height",
             "Activation height of deployment 'name' (segwit, bip34, dersig, cltv, csv) (regtest only)", ANY | DEBUG,
             C::DEBUG_TEST);
    a.AddArg("-uacomment=<cmt>", "Append this comment to the user agent string", ANY, C::DEBUG_TEST);
    a.AddArg("-fastprune", "Smaller block files and a lower minimum prune height, for tests", ANY | DEBUG,
             C::DEBUG_TEST);
}

void RegisterChain(ArgsManager& a)
{
    a.AddArg("-chain=<chain>", "Use this chain (default: main). Values: main, test, testnet4, signet, regtest", ANY,
             C::CHAINPARAMS);
    a.AddArg("-regtest",
             "Regression test mode: a private chain whose blocks can be solved instantly, for testing tools and "
             "applications. Same as -chain=regtest.",
             ANY | DEBUG, C::CHAINPARAMS);
    a.AddArg("-signet",
             "Use the signet chain. Same as -chain=signet. The network is defined by -signetchallenge.", ANY,
             C::CHAINPARAMS);
    a.AddArg("-signetchallenge",
             "The script blocks must satisfy to be valid (signet only; default: the challenge of the global default "
             "signet)",
             ANY | NO_NEG, C::CHAINPARAMS);
    a.AddArg("-signetseednode",
             "Seed node of the signet network, as hostname[:port], e.g. sig.net:1234 (may be given several times; "
             "default: the seed nodes of the global default signet)",
             ANY | NO_NEG | TODO, C::CHAINPARAMS);
    a.AddArg("-testnet",
             "Use the testnet3 chain. Same as -chain=test. Testnet3 is deprecated and will be removed; consider "
             "-testnet4.",
             ANY, C::CHAINPARAMS);
    a.AddArg("-testnet4", "Use the testnet4 chain. Same as -chain=testnet4.", ANY, C::CHAINPARAMS);
    a.AddArg("-vbparams=deployment:start:end[:min_activation_height]",
             "Start and end times and minimum activation height of a version bits deployment (regtest only)",
             ANY | DEBUG, C::CHAINPARAMS);
}

void RegisterRelayAndMining(ArgsManager& a)
{
    a.AddArg("-acceptnonstdtxn", "Relay and mine non-standard transactions (test networks only; default: 0)",
             ANY | DEBUG, C::NODE_RELAY);
    a.AddArg("-bytespersigop", "Virtual bytes counted per sigop for relay and mining (default: 20)", ANY,
             C::NODE_RELAY);
    a.AddArg("-datacarrier", "Relay and mine data carrier (OP_RETURN) transactions (default: 1)", ANY,
             C::NODE_RELAY);
    a.AddArg("-datacarriersize",
             "Relay and mine transactions whose data-carrying scriptPubKeys are at most this many bytes "
             "(default: 100000)",
             ANY, C::NODE_RELAY);
    a.AddArg("-dustrelayfee=<amt>",
             "Fee rate (in BTC/kvB) that defines dust: an output worth less than the fee to spend it at this rate "
             "(default: 0.00003)",
             ANY | DEBUG, C::NODE_RELAY);
    a.AddArg("-incrementalrelayfee=<amt>",
             "Fee rate (in BTC/kvB) that prices relay, used for mempool limiting and replacement (default: 0.000001)",
             ANY | DEBUG, C::NODE_RELAY);
    a.AddArg("-minrelaytxfee=<amt>",
             "Fees (in BTC/kvB) below this count as zero for relay, mining and transaction creation (default: "
             "0.000001)",
             ANY, C::NODE_RELAY);
    a.AddArg("-permitbaremultisig", "Relay transactions creating bare (non-P2SH) multisig outputs (default: 1)",
             ANY, C::NODE_RELAY);
    a.AddArg("-whitelistforcerelay",
             "Give the 'forcerelay' permission to whitelisted peers with default permissions: their transactions "
             "are relayed even when already in the mempool (default: 0)",
             ANY, C::NODE_RELAY);
    a.AddArg("-whitelistrelay",
             "Give the 'relay' permission to whitelisted peers with default permissions: their transactions are "
             "accepted even when not relaying transactions (default: 1)",
             ANY, C::NODE_RELAY);

    a.AddArg("-blockmaxweight=<n>", "Largest BIP 141 weight of a created block (default: 4000000)", ANY,
             C::BLOCK_CREATION);
    a.AddArg("-blockmintxfee=<amt>",
             "Lowest fee rate (in BTC/kvB) of transactions included in a created block (default: 0.00000001)",
             ANY, C::BLOCK_CREATION);
    a.AddArg("-blockreservedweight=<n>",
             "Weight kept free for the block header and the largest coinbase the mining software may add "
             "(default: 8000)",
             ANY, C::BLOCK_CREATION);
    a.AddArg("-blockversion=<n>", "Override the block version, to test forks", ANY | DEBUG, C::BLOCK_CREATION);
}

void RegisterRpc(ArgsManager& a)
{
    a.AddArg("-rest", "Accept public REST requests (default: 0)", ANY | TODO, C::RPC);
    a.AddArg("-rpcallowip=<ip>",
             "Accept JSON-RPC connections from this source: a single IP (e.g. 1.2.3.4), a network/netmask (e.g. "
             "1.2.3.4/255.255.255.0), a network/CIDR (e.g. 1.2.3.4/24), all IPv4 (0.0.0.0/0) or all IPv6 (::/0). "
             "May be given several times.",
             ANY, C::RPC);
    a.AddArg("-rpcauth=<userpw>",
             "User name and HMAC-SHA-256 hashed password for JSON-RPC, as <USERNAME>:<SALT>$<HASH> (Bitcoin Core's "
             "share/rpcauth script makes one). The client then logs in with rpcuser=<USERNAME> and "
             "rpcpassword=<PASSWORD>. May be given several times.",
             ANY | SECRET, C::RPC);
    a.AddArg("-rpcbind=<addr>[:port]",
             "Listen for JSON-RPC connections on this address. Never expose the RPC server to untrusted networks "
             "such as the internet! Ignored without -rpcallowip. The optional port overrides -rpcport. Use "
             "[host]:port for IPv6. May be given several times (default: 127.0.0.1 and ::1, i.e. localhost)",
             ANY | NET, C::RPC);
    a.AddArg("-rpccookiefile=<loc>",
             "Location of the authentication cookie. A relative path is taken relative to the network datadir. "
             "(default: the data directory)",
             ANY, C::RPC);
    a.AddArg("-rpccookieperms=<readable-by>",
             "Make the RPC cookie file readable by [owner|group|all] (default: owner, through umask 0077)", ANY,
             C::RPC);
    a.AddArg("-rpcdoccheck", "Raise a non-fatal error at run time when an RPC's documentation is wrong (default: 0)",
             ANY | DEBUG | TODO, C::RPC);
    a.AddArg("-rpcpassword=<pw>", "Password for JSON-RPC connections", ANY | SECRET, C::RPC);
    a.AddArg("-rpcport=<port>",
             "Listen for JSON-RPC connections on <port> (default: 8332, testnet3: 18332, testnet4: 48332, signet: "
             "38332, regtest: 18443)",
             ANY | NET, C::RPC);
    a.AddArg("-rpcservertimeout=<n>", "Timeout of HTTP requests, in seconds (default: 30)", ANY | DEBUG, C::RPC);
    a.AddArg("-rpcthreads=<n>", "Number of threads serving RPC calls (default: 16)", ANY, C::RPC);
    a.AddArg("-rpcuser=<user>", "User name for JSON-RPC connections", ANY | SECRET, C::RPC);
    a.AddArg("-rpcwhitelist=<whitelist>",
             "Restrict the RPC calls a user may make, as <USERNAME>:<rpc 1>,<rpc 2>,...,<rpc n>. Several whitelists "
             "for one user are intersected. See -rpcwhitelistdefault for the default behavior.",
             ANY, C::RPC);
    a.AddArg("-rpcwhitelistdefault",
             "Default RPC whitelisting. Unless set to 0, once any -rpcwhitelist is given, users without one may "
             "call nothing. When set to 1 and no -rpcwhitelist is given, no user may call anything.",
             ANY, C::RPC);
    a.AddArg("-rpcworkqueue=<n>", "Largest depth of the queue of RPC calls waiting for a thread (default: 64)",
             ANY | DEBUG, C::RPC);
    a.AddArg("-server", "Accept command line and JSON-RPC commands", ANY, C::RPC);

    a.AddArg("-ipcbind=<address>",
             "Listen for IPC connections on a Unix socket: \"unix\" for the default path <datadir>/node.sock, or "
             "\"unix:/custom/path\". May be given several times; by default nothing is listened on. A relative "
             "path is taken relative to the network datadir; missing parent directories are created.",
             ANY | TODO, C::IPC);
}

void RegisterHidden(ArgsManager& a)
{
    // -h and -? are -help; the GUI options are bitcoin-qt's and accepted so
    // that a shared configuration file still works; -checkpoints, -upnp and
    // -mempoolfullrbf are options Core dropped but still accepts (v28 had them).
    a.AddHiddenArgs({"-h", "-?"});
    for (const char* name : {"-dbcrashratio", "-forcecompactdb", "-choosedatadir", "-lang=<lang>", "-min",
                             "-resetguisettings", "-splash", "-uiplatform", "-checkpoints", "-upnp",
                             "-mempoolfullrbf"}) {
        a.AddArg(name, "", ANY | TODO, C::HIDDEN);
    }
}

} // namespace

void RegisterNodeOptions(ArgsManager& args)
{
    RegisterGeneral(args);
    RegisterConnection(args);
    RegisterWallet(args);
    RegisterZmq(args);
    RegisterDebug(args);
    RegisterChain(args);
    RegisterRelayAndMining(args);
    RegisterRpc(args);
    RegisterHidden(args);
}

} // namespace cairn

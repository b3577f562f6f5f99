// Internals of descriptor.h, shared by its .cpp files only: key expressions
// (descriptor_keys.cpp) and the parsed expression tree (descriptor.cpp,
// descriptor_parse.cpp).
#ifndef CAIRN_SCRIPT_DESCRIPTOR_IMPL_H
#define CAIRN_SCRIPT_DESCRIPTOR_IMPL_H

#include "crypto/bip32.h"
#include "crypto/key.h"
#include "crypto/pubkey.h"
#include "primitives/script.h"
#include "script/destination.h"
#include "util/chaintype.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::descriptor_detail {

/** Where a key comes from: the master key's fingerprint and the path from it. */
struct KeyOrigin {
    KeyFingerprint fingerprint{};
    std::vector<uint32_t> path;
};

/** A key expression evaluated at one position of the range. */
struct DerivedKey {
    PubKey pubkey;
    KeyOrigin origin;
};

/** "/0/1h" ("'" instead of "h" with apostrophe). */
std::string FormatKeyPath(const std::vector<uint32_t>& path, bool apostrophe);

/** A key expression: hex or WIF constant, or an extended key with a path. */
class KeyExpr
{
public:
    virtual ~KeyExpr() = default;
    /** nullopt if hardened derivation is needed and no private key is known. */
    virtual std::optional<DerivedKey> Derive(uint32_t pos) const = 0;
    virtual bool IsRange() const = 0;
    virtual bool HasPrivateKey() const = 0;
    /** The public form, as written in a descriptor. */
    virtual std::string ToString(ChainType chain) const = 0;
    /** Bytes the key takes in a script (32 x-only, 33, 65). */
    virtual size_t ScriptSize() const = 0;
};

/** A hex public key or a WIF private key. */
class ConstKeyExpr final : public KeyExpr
{
public:
    ConstKeyExpr(PubKey pubkey, bool xonly, bool has_private) : m_pubkey(pubkey), m_xonly(xonly), m_private(has_private) {}
    std::optional<DerivedKey> Derive(uint32_t pos) const override;
    bool IsRange() const override { return false; }
    bool HasPrivateKey() const override { return m_private; }
    std::string ToString(ChainType chain) const override;
    size_t ScriptSize() const override { return m_xonly ? 32 : m_pubkey.size(); }

private:
    PubKey m_pubkey;
    bool m_xonly;
    bool m_private;
};

enum class DeriveType { NO, UNHARDENED, HARDENED };

/** xpub/xprv, a path, and optionally a final ranged step. */
class Bip32KeyExpr final : public KeyExpr
{
public:
    Bip32KeyExpr(ExtPubKey root, std::optional<ExtKey> root_private, std::vector<uint32_t> path, DeriveType derive,
                 bool apostrophe)
        : m_root(std::move(root)), m_root_private(std::move(root_private)), m_path(std::move(path)), m_derive(derive),
          m_apostrophe(apostrophe)
    {
    }
    std::optional<DerivedKey> Derive(uint32_t pos) const override;
    bool IsRange() const override { return m_derive != DeriveType::NO; }
    bool HasPrivateKey() const override { return m_root_private.has_value(); }
    std::string ToString(ChainType chain) const override;
    size_t ScriptSize() const override { return PubKey::COMPRESSED_SIZE; }

private:
    ExtPubKey m_root;
    std::optional<ExtKey> m_root_private;
    std::vector<uint32_t> m_path;
    DeriveType m_derive;
    bool m_apostrophe;
};

/** [fingerprint/path] in front of another key expression. */
class OriginKeyExpr final : public KeyExpr
{
public:
    OriginKeyExpr(KeyOrigin origin, std::unique_ptr<KeyExpr> inner, bool apostrophe)
        : m_origin(std::move(origin)), m_inner(std::move(inner)), m_apostrophe(apostrophe)
    {
    }
    std::optional<DerivedKey> Derive(uint32_t pos) const override;
    bool IsRange() const override { return m_inner->IsRange(); }
    bool HasPrivateKey() const override { return m_inner->HasPrivateKey(); }
    std::string ToString(ChainType chain) const override;
    size_t ScriptSize() const override { return m_inner->ScriptSize(); }

private:
    KeyOrigin m_origin;
    std::unique_ptr<KeyExpr> m_inner;
    bool m_apostrophe;
};

/** Where an expression stands; decides which functions and keys it may hold. */
enum class Context {
    TOP,
    P2SH,
    P2WPKH,
    P2WSH,
    P2TR, //!< the internal key, or a tapscript leaf
};

/**
 * Parses a key expression (with optional origin). Multipath steps "<a;b>"
 * pick alternative `mp_index`; `mp_count` records how many there are (0
 * while none has been seen) and must agree across keys. On error returns
 * null and sets `error` to Core's message (without the caller's prefix).
 */
std::unique_ptr<KeyExpr> ParseKeyExpr(std::string_view text, Context ctx, ChainType chain, size_t mp_index,
                                      size_t& mp_count, std::string& error);

/** One function of the expression tree. */
struct Node {
    enum class Kind { PK, PKH, WPKH, COMBO, MULTI, MULTI_A, SH, WSH, TR, ADDR, RAW, RAWTR };
    Kind kind;
    /** PK/PKH inside tr(): keys are x-only. */
    bool tapscript{false};
    /** sortedmulti / sortedmulti_a. */
    bool sorted{false};
    uint32_t threshold{0};
    std::vector<std::unique_ptr<KeyExpr>> keys;
    /** SH, WSH: one; TR: the leaves in depth-first order. */
    std::vector<std::shared_ptr<const Node>> subs;
    /** TR: the depth of each leaf. */
    std::vector<int> depths;
    /** RAW. */
    Script script;
    /** ADDR. */
    Destination dest;
};

} // namespace cairn::descriptor_detail

#endif

// Output descriptors: their canonical text and their expansion into
// scriptPubKeys. Parsing is in descriptor_parse.cpp, keys in
// descriptor_keys.cpp.
#include "script/descriptor.h"
#include "script/descriptor_impl.h"

#include "crypto/hash.h"
#include "script/address.h"
#include "script/descriptor_checksum.h"
#include "script/infer_descriptor.h"
#include "script/solver.h"
#include "util/hex.h"
#include "util/serialize.h"

#include <algorithm>

namespace cairn {

using namespace descriptor_detail;

namespace {

constexpr uint8_t TAPROOT_LEAF_TAPSCRIPT = 0xc0;

std::string Name(const Node& node)
{
    switch (node.kind) {
    case Node::Kind::PK: return "pk";
    case Node::Kind::PKH: return "pkh";
    case Node::Kind::WPKH: return "wpkh";
    case Node::Kind::COMBO: return "combo";
    case Node::Kind::MULTI: return node.sorted ? "sortedmulti" : "multi";
    case Node::Kind::MULTI_A: return node.sorted ? "sortedmulti_a" : "multi_a";
    case Node::Kind::SH: return "sh";
    case Node::Kind::WSH: return "wsh";
    case Node::Kind::TR: return "tr";
    case Node::Kind::ADDR: return "addr";
    case Node::Kind::RAW: return "raw";
    case Node::Kind::RAWTR: return "rawtr";
    }
    return "";
}

/** Writes a script tree back with its braces, from the leaves' depths. */
std::string TreeString(const std::vector<int>& depths, const std::vector<std::string>& leaves)
{
    std::string out;
    std::vector<bool> path;
    for (size_t i = 0; i < depths.size(); ++i) {
        if (i) out += ',';
        while (int(path.size()) <= depths[i]) {
            if (!path.empty()) out += '{';
            path.push_back(false);
        }
        out += leaves[i];
        while (!path.empty() && path.back()) {
            if (path.size() > 1) out += '}';
            path.pop_back();
        }
        if (!path.empty()) path.back() = true;
    }
    return out;
}

std::string NodeString(const Node& node, ChainType chain)
{
    switch (node.kind) {
    case Node::Kind::ADDR: return "addr(" + EncodeDestination(node.dest, chain) + ")";
    case Node::Kind::RAW: return "raw(" + HexStr(node.script) + ")";
    case Node::Kind::TR: {
        std::string out = "tr(" + node.keys[0]->ToString(chain);
        if (!node.subs.empty()) {
            std::vector<std::string> leaves;
            for (const auto& sub : node.subs) leaves.push_back(NodeString(*sub, chain));
            out += "," + TreeString(node.depths, leaves);
        }
        return out + ")";
    }
    default: break;
    }
    std::string out = Name(node) + "(";
    bool first = true;
    if (node.kind == Node::Kind::MULTI || node.kind == Node::Kind::MULTI_A) {
        out += std::to_string(node.threshold);
        first = false;
    }
    for (const auto& key : node.keys) {
        if (!first) out += ',';
        out += key->ToString(chain);
        first = false;
    }
    for (const auto& sub : node.subs) {
        if (!first) out += ',';
        out += NodeString(*sub, chain);
        first = false;
    }
    return out + ")";
}

bool AnyNode(const Node& node, bool (*pred)(const Node&))
{
    if (pred(node)) return true;
    return std::any_of(node.subs.begin(), node.subs.end(), [&](const auto& s) { return AnyNode(*s, pred); });
}

XOnlyPubKey XOnly(const PubKey& key) { return XOnlyPubKey(key); }

/** A key as Core's inference names it: "[fingerprint/path]" and the hex. */
std::string InferredKey(const DerivedKey& key, bool xonly)
{
    return "[" + HexStr(key.origin.fingerprint) + FormatKeyPath(key.origin.path, false) + "]" +
           (xonly ? HexStr(key.pubkey.span().subspan(1)) : HexStr(key.pubkey.span()));
}

/** A script and the descriptor inferred for it (without checksum). */
struct Expanded {
    Script script;
    std::string inferred;
};

uint256 TapLeafHash(const Script& script)
{
    Bytes ser{TAPROOT_LEAF_TAPSCRIPT};
    VectorWriter w(ser);
    WriteVarBytes(w, script.span());
    return TaggedHash("TapLeaf", ser);
}

uint256 TapBranchHash(const uint256& a, const uint256& b)
{
    Bytes ser;
    const bool swap = b < a;
    const uint256& lo = swap ? b : a;
    const uint256& hi = swap ? a : b;
    ser.insert(ser.end(), lo.begin(), lo.end());
    ser.insert(ser.end(), hi.begin(), hi.end());
    return TaggedHash("TapBranch", ser);
}

/** The Merkle root of leaves given in depth-first order with their depths. */
uint256 TapMerkleRoot(const std::vector<int>& depths, const std::vector<uint256>& leaf_hashes)
{
    // A stack of (depth, hash): two neighbours at the same depth are
    // siblings, and join into their parent one level up.
    std::vector<std::pair<int, uint256>> stack;
    for (size_t i = 0; i < depths.size(); ++i) {
        stack.emplace_back(depths[i], leaf_hashes[i]);
        while (stack.size() >= 2 && stack[stack.size() - 1].first == stack[stack.size() - 2].first) {
            const auto right = stack.back();
            stack.pop_back();
            auto& left = stack.back();
            left.second = TapBranchHash(left.second, right.second);
            left.first -= 1;
        }
    }
    return stack.empty() ? uint256() : stack.front().second;
}

bool ExpandNode(const Node& node, uint32_t pos, ChainType chain, std::vector<Expanded>& out)
{
    std::vector<DerivedKey> keys;
    for (const auto& expr : node.keys) {
        auto key = expr->Derive(pos);
        if (!key) return false;
        keys.push_back(std::move(*key));
    }
    std::vector<std::vector<Expanded>> subs;
    if (node.kind != Node::Kind::TR) {
        for (const auto& sub : node.subs) {
            subs.emplace_back();
            if (!ExpandNode(*sub, pos, chain, subs.back())) return false;
        }
    }

    switch (node.kind) {
    case Node::Kind::PK: {
        Script s;
        if (node.tapscript) {
            s << XOnly(keys[0].pubkey).span();
        } else {
            s << keys[0].pubkey.span();
        }
        s << OP_CHECKSIG;
        out.push_back({std::move(s), "pk(" + InferredKey(keys[0], node.tapscript) + ")"});
        return true;
    }
    case Node::Kind::PKH: {
        if (node.tapscript) {
            Script s;
            const uint160 h = Hash160(XOnly(keys[0].pubkey).span());
            s << OP_DUP << OP_HASH160 << h.span() << OP_EQUALVERIFY << OP_CHECKSIG;
            out.push_back({std::move(s), "pkh(" + InferredKey(keys[0], true) + ")"});
        } else {
            out.push_back({GetScriptForDestination(PKHash(keys[0].pubkey)), "pkh(" + InferredKey(keys[0], false) + ")"});
        }
        return true;
    }
    case Node::Kind::WPKH:
        out.push_back({GetScriptForDestination(WitnessV0KeyHash(keys[0].pubkey)),
                       "wpkh(" + InferredKey(keys[0], false) + ")"});
        return true;
    case Node::Kind::COMBO: {
        const std::string k = InferredKey(keys[0], false);
        Script p2pk;
        p2pk << keys[0].pubkey.span() << OP_CHECKSIG;
        out.push_back({std::move(p2pk), "pk(" + k + ")"});
        out.push_back({GetScriptForDestination(PKHash(keys[0].pubkey)), "pkh(" + k + ")"});
        if (keys[0].pubkey.IsCompressed()) {
            const Script p2wpkh = GetScriptForDestination(WitnessV0KeyHash(keys[0].pubkey));
            out.push_back({p2wpkh, "wpkh(" + k + ")"});
            out.push_back({GetScriptForDestination(ScriptHash(p2wpkh)), "sh(wpkh(" + k + "))"});
        }
        return true;
    }
    case Node::Kind::MULTI: {
        std::vector<size_t> order(keys.size());
        for (size_t i = 0; i < order.size(); ++i) order[i] = i;
        if (node.sorted) {
            std::stable_sort(order.begin(), order.end(),
                             [&](size_t a, size_t b) { return keys[a].pubkey < keys[b].pubkey; });
        }
        std::vector<PubKey> pubkeys;
        std::string inferred = "multi(" + std::to_string(node.threshold);
        for (size_t i : order) {
            pubkeys.push_back(keys[i].pubkey);
            inferred += "," + InferredKey(keys[i], false);
        }
        out.push_back({GetScriptForMultisig(int(node.threshold), pubkeys), inferred + ")"});
        return true;
    }
    case Node::Kind::MULTI_A: {
        std::vector<std::pair<XOnlyPubKey, size_t>> xkeys;
        for (size_t i = 0; i < keys.size(); ++i) xkeys.emplace_back(XOnly(keys[i].pubkey), i);
        if (node.sorted) std::stable_sort(xkeys.begin(), xkeys.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        Script s;
        std::string inferred = "multi_a(" + std::to_string(node.threshold);
        for (size_t i = 0; i < xkeys.size(); ++i) {
            s << xkeys[i].first.span() << (i == 0 ? OP_CHECKSIG : OP_CHECKSIGADD);
            inferred += "," + InferredKey(keys[xkeys[i].second], true);
        }
        s.PushInt(node.threshold);
        s << OP_NUMEQUAL;
        out.push_back({std::move(s), inferred + ")"});
        return true;
    }
    case Node::Kind::SH:
        out.push_back({GetScriptForDestination(ScriptHash(subs[0][0].script)), "sh(" + subs[0][0].inferred + ")"});
        return true;
    case Node::Kind::WSH:
        out.push_back({GetScriptForDestination(WitnessV0ScriptHash(subs[0][0].script)),
                       "wsh(" + subs[0][0].inferred + ")"});
        return true;
    case Node::Kind::TR: {
        std::vector<uint256> leaf_hashes;
        std::vector<std::string> leaf_strings;
        for (const auto& sub : node.subs) {
            std::vector<Expanded> leaf;
            if (!ExpandNode(*sub, pos, chain, leaf)) return false;
            leaf_hashes.push_back(TapLeafHash(leaf[0].script));
            leaf_strings.push_back(leaf[0].inferred);
        }
        const XOnlyPubKey internal = XOnly(keys[0].pubkey);
        const uint256 root = TapMerkleRoot(node.depths, leaf_hashes);
        const auto output = internal.CreateTapTweak(node.subs.empty() ? nullptr : &root);
        if (!output) return false;
        std::string inferred = "tr(" + InferredKey(keys[0], true);
        if (!node.subs.empty()) inferred += "," + TreeString(node.depths, leaf_strings);
        out.push_back({GetScriptForDestination(WitnessV1Taproot(output->first)), inferred + ")"});
        return true;
    }
    case Node::Kind::RAWTR: {
        // Core infers rawtr() outputs without knowing the key's origin.
        const Script s = GetScriptForDestination(WitnessV1Taproot(XOnly(keys[0].pubkey)));
        out.push_back({s, ""});
        return true;
    }
    case Node::Kind::ADDR:
        out.push_back({GetScriptForDestination(node.dest), ""});
        return true;
    case Node::Kind::RAW:
        out.push_back({node.script, ""});
        return true;
    }
    return false;
}

} // namespace

Descriptor::Descriptor(std::shared_ptr<const Node> root, ChainType chain) : m_root(std::move(root)), m_chain(chain) {}
Descriptor::~Descriptor() = default;

std::string Descriptor::ToString() const { return AddDescriptorChecksum(NodeString(*m_root, m_chain)); }

bool Descriptor::IsRange() const
{
    return AnyNode(*m_root, [](const Node& n) {
        return std::any_of(n.keys.begin(), n.keys.end(), [](const auto& k) { return k->IsRange(); });
    });
}

bool Descriptor::IsSolvable() const
{
    return !AnyNode(*m_root, [](const Node& n) { return n.kind == Node::Kind::ADDR || n.kind == Node::Kind::RAW; });
}

bool Descriptor::HasPrivateKeys() const
{
    return AnyNode(*m_root, [](const Node& n) {
        return std::any_of(n.keys.begin(), n.keys.end(), [](const auto& k) { return k->HasPrivateKey(); });
    });
}

bool Descriptor::Expand(uint32_t pos, std::vector<Script>& out) const
{
    std::vector<Expanded> expanded;
    if (!ExpandNode(*m_root, pos, m_chain, expanded)) return false;
    for (auto& e : expanded) out.push_back(std::move(e.script));
    return true;
}

bool Descriptor::ExpandWithDescriptors(uint32_t pos, std::vector<std::pair<Script, std::string>>& out) const
{
    std::vector<Expanded> expanded;
    if (!ExpandNode(*m_root, pos, m_chain, expanded)) return false;
    for (auto& e : expanded) {
        std::string desc = e.inferred.empty() ? InferDescriptorString(e.script, m_chain)
                                              : AddDescriptorChecksum(e.inferred);
        out.emplace_back(std::move(e.script), std::move(desc));
    }
    return true;
}

} // namespace cairn

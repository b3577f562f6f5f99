"""Helpers for the mempool tests: big transactions to fill a small pool."""

from decimal import Decimal

from .blocktools import COINBASE_MATURITY, MiniWallet
from .messages import COIN, COutPoint, CTransaction, CTxIn, CTxOut
from .script import OP_RETURN, CScript

# One OP_RETURN of this many data bytes makes a transaction of about 64,100 vB:
# standard (under 100,000 vB) and within Core 30's default -datacarriersize.
BIG_DATA = 64_000


def split_coins(node, wallet, count, tip_height=None):
    """Splits one mature coin of `wallet` into `count` coins and confirms them."""
    tip = node.getblockcount() if tip_height is None else tip_height
    coin = wallet.get_utxo(tip_height=tip)
    res = wallet.create_self_transfer_multi(utxos_to_spend=[coin], num_outputs=count)
    wallet.sendrawtransaction(from_node=node, tx_hex=res["hex"])
    wallet.generate(1)
    return res["new_utxos"]


def big_tx(wallet, utxo, sat_per_vb, data=BIG_DATA):
    """A spend of `utxo` carrying `data` bytes in an OP_RETURN, paying
    `sat_per_vb` (a number of satoshis per virtual byte), change to the wallet."""
    tx = CTransaction()
    tx.vin.append(CTxIn(COutPoint(int(utxo["txid"], 16), utxo["vout"]), b"", 0xFFFFFFFD))
    tx.vout.append(CTxOut(0, CScript([OP_RETURN, b"\x01" * data])))
    tx.vout.append(CTxOut(utxo["amount"], wallet.get_scriptPubKey()))
    wallet.sign_tx(tx, {0: CTxOut(utxo["amount"], wallet.get_scriptPubKey())})
    fee = int(Decimal(sat_per_vb) * tx.get_vsize()) + 1
    tx.vout[1].nValue = utxo["amount"] - fee
    wallet.sign_tx(tx, {0: CTxOut(utxo["amount"], wallet.get_scriptPubKey())})
    return {"tx": tx, "txid": tx.txid_hex, "wtxid": tx.wtxid_hex, "hex": tx.serialize().hex(), "fee": fee,
            "vsize": tx.get_vsize()}


def new_wallet(node, blocks=COINBASE_MATURITY + 1):
    wallet = MiniWallet(node)
    wallet.generate(blocks)
    return wallet


def btc(sats):
    return Decimal(sats) / COIN

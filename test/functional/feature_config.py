#!/usr/bin/env python3
"""Configuration handling as Bitcoin Core's: cairn.conf else bitcoin.conf,
-conf, network sections, includeconf, bad options and malformed files,
options known to Core but not implemented, settings.json, the datadir
layout of a new network folder."""

import os
import subprocess

from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal


class ConfigTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def conf_path(self, name="cairn.conf"):
        return os.path.join(self.nodes[0].datadir, name)

    def write(self, name, text):
        with open(self.conf_path(name), "w", encoding="utf8") as f:
            f.write(text)

    def read(self, name="cairn.conf"):
        with open(self.conf_path(name), encoding="utf8") as f:
            return f.read()

    def run_test(self):
        node = self.nodes[0]
        base_conf = self.read()
        node.stop_node()

        self.log.info("a new network folder: blocks/, chainstate/, wallets/ and plain files only")
        entries = os.listdir(node.chain_dir)
        dirs = sorted(e for e in entries if os.path.isdir(os.path.join(node.chain_dir, e)))
        assert_equal(dirs, ["blocks", "chainstate", "wallets"])
        assert "settings.json" in entries and "debug.log" in entries
        assert_equal(os.listdir(os.path.join(node.chain_dir, "wallets")), [])

        self.log.info("unknown options stop start-up; Core's options that Cairn lacks are accepted and logged")
        node.assert_start_raises_init_error(["-nosuchoption"],
                                            "Error: Error parsing command line arguments: Invalid parameter -nosuchoption")
        core_only = ["-logsourcelocations", "-logthreadnames", "-logtimemicros", "-loglevel=debug", "-debugexclude=net",
                     "-nologratelimit", "-shrinkdebugfile", "-v2transport", "-natpmp", "-unsafesqlitesync",
                     "-rpcdoccheck", "-peertimeout=60", "-fallbackfee=0.0002", "-keypool=10", "-disablewallet",
                     "-wallet=w1", "-walletdir=wd", "-blockfilterindex=0", "-maxmempool=300"]
        node.start(core_only + ["-txindex", "-rest"])
        node.stop_node()
        assert node.debug_log_contains("-natpmp")
        for name in ("-txindex", "-rest", "-wallet", "-shrinkdebugfile", "-logsourcelocations"):
            assert node.debug_log_contains("Option %s is accepted for compatibility" % name), name

        self.log.info("a config section that names no network is a warning, as in Core")
        self.write("cairn.conf", base_conf + "\n[nosuchnet]\nfoo=1\n")
        line = len((base_conf + "\n[nosuchnet]").splitlines())
        node.start()
        node.stop_node(expected_stderr="Warning: %s:%d Section [nosuchnet] is not recognized." % (self.conf_path(), line))
        assert node.debug_log_contains("Section [nosuchnet] is not recognized.")
        self.write("cairn.conf", base_conf)

        self.log.info("-debug: unknown categories stop start-up; those before -debug=0 are disregarded")
        node.assert_start_raises_init_error(["-debug=nosuchcat"], "Error: Unsupported logging category -debug=nosuchcat.")
        node.assert_start_raises_init_error(["-debugexclude=nosuchcat"],
                                            "Error: Unsupported logging category -debugexclude=nosuchcat.")
        node.assert_start_raises_init_error(["-loglevel=loud"],
                                            "Error: Unsupported global logging level -loglevel=loud. Valid values: info, debug, trace.")
        node.assert_start_raises_init_error(["-loglevel=net:loud"],
                                            "Error: Unsupported category-specific logging level -loglevel=net:loud.")
        node.start(["-debug=nosuchcat", "-debug=0", "-debug=net", "-loglevel=net:trace"])
        logging = node.logging()
        assert_equal(logging["net"], True)
        assert_equal(logging["validation"], False)
        node.stop_node()
        node.start(["-debug", "-debugexclude=net"])
        logging = node.logging()
        assert_equal(logging["net"], False)
        assert_equal(logging["validation"], True)
        node.stop_node()

        self.log.info("-vbparams moves a version bits deployment; -test takes Core's values on regtest only")
        node.start(["-vbparams=testdummy:1000:2000000000:144", "-test=bip94", "-dbbatchsize=1000"])
        bip9 = node.getdeploymentinfo()["deployments"]["testdummy"]["bip9"]
        assert_equal((bip9["start_time"], bip9["timeout"], bip9["min_activation_height"]), (1000, 2000000000, 144))
        node.stop_node()
        for args, msg in [
            (["-vbparams=testdummy:1"], "Error: Version bits parameters malformed, expecting deployment:start:end[:min_activation_height]"),
            (["-vbparams=nosuch:1:2"], "Error: Invalid deployment (nosuch)"),
            (["-vbparams=testdummy:x:2"], "Error: Invalid nStartTime (x)"),
            (["-vbparams=testdummy:1:y"], "Error: Invalid nTimeout (y)"),
            (["-vbparams=testdummy:1:2:z"], "Error: Invalid min_activation_height (z)"),
            (["-test=nosuch"], 'Error: Unrecognised option "nosuch" provided in -test=<option>.'),
        ]:
            node.assert_start_raises_init_error(args, msg)

        self.log.info("printtoconsole=0 (in the config file) with -nodebuglogfile: nothing on stdout, no debug.log,"
                      " even for warnings logged while the config file is read")
        os.remove(node.debug_log_path)
        self.write("cairn.conf", base_conf + "nosuchkey=1\n")
        node.start(["-nodebuglogfile"])
        node.stop_node()
        node.stdout.seek(0)
        assert_equal(node.stdout.read(), b"")
        assert not os.path.exists(node.debug_log_path)
        self.log.info("...and the early warning does reach debug.log when there is one")
        node.start([])
        node.stop_node()
        assert node.debug_log_contains("Ignoring unknown configuration value regtest.nosuchkey")
        self.write("cairn.conf", base_conf)

        self.log.info("a malformed config file stops start-up with the line number")
        self.write("cairn.conf", base_conf + "notakeyvalue\n")
        node.assert_start_raises_init_error([], "Error: Error reading configuration file: parse error on line",
                                            match="partial")
        self.write("cairn.conf", base_conf)

        self.log.info("-includeconf is refused on the command line, and works from the file")
        node.assert_start_raises_init_error(["-includeconf=x.conf"], "-includeconf cannot be used from commandline",
                                            match="partial")
        self.write("extra.conf", "[regtest]\nuacomment=fromincluded\n")
        self.write("cairn.conf", base_conf + "includeconf=extra.conf\n")
        node.start()
        assert node.debug_log_contains('uacomment="fromincluded"')
        node.stop_node()
        self.log.info("a missing included file stops start-up")
        self.write("cairn.conf", base_conf + "includeconf=missing.conf\n")
        node.assert_start_raises_init_error([], "missing.conf", match="partial")
        self.write("cairn.conf", base_conf)

        self.log.info("options of another network's section do not apply; top-level network-only options are refused")
        self.write("cairn.conf", base_conf + "[main]\nrpcport=1\n[test]\nrpcport=2\n")
        node.start()  # would fail to serve RPC on its port if [main]/[test] applied
        node.stop_node()
        self.write("cairn.conf", "regtest=1\naddnode=127.0.0.1:1\n" + base_conf.split("\n", 1)[1])
        node.assert_start_raises_init_error(
            [], "Config setting for -addnode only applied on regtest network when in [regtest] section.", match="partial")
        self.write("cairn.conf", base_conf)

        self.log.info("-conf: an absolute path, a missing file")
        os.rename(self.conf_path(), self.conf_path("other.conf"))
        node.start(["-conf=" + self.conf_path("other.conf")])
        node.stop_node()
        node.assert_start_raises_init_error(["-conf=" + self.conf_path("nope.conf")],
                                            'could not be opened', match="partial")
        self.log.info("bitcoin.conf is read when cairn.conf is absent")
        os.rename(self.conf_path("other.conf"), self.conf_path("bitcoin.conf"))
        node.start()
        assert_equal(node.getblockcount(), 0)
        node.stop_node()
        os.rename(self.conf_path("bitcoin.conf"), self.conf_path())

        self.log.info("settings.json: written at start; a damaged one stops start-up")
        settings = os.path.join(node.chain_dir, "settings.json")
        assert os.path.exists(settings)
        with open(settings, "w", encoding="utf8") as f:
            f.write("{not json")
        node.assert_start_raises_init_error([], "Error: Failed loading settings file:", match="partial")
        os.remove(settings)

        self.log.info("-datadir that does not exist")
        proc = subprocess.run([node.binary, "-datadir=" + os.path.join(node.datadir, "nope")], capture_output=True)
        assert proc.returncode != 0
        assert b"does not exist" in proc.stderr

        self.log.info("-version and -help")
        out = subprocess.run([node.binary, "-version"], capture_output=True, text=True)
        assert_equal(out.returncode, 0)
        assert out.stdout.startswith("Cairn daemon version v")
        out = subprocess.run([node.binary, "-help"], capture_output=True, text=True)
        assert_equal(out.returncode, 0)
        for opt in ["-datadir=<dir>", "-dbcache=<n>", "-rpcport=<port>", "-rpcauth=<userpw>", "-prune=<n>"]:
            assert opt in out.stdout, opt
        assert "default: 450)" in out.stdout

        self.log.info("the datadir is locked against a second process")
        node.start()
        second = subprocess.run([node.binary, "-datadir=" + node.datadir], capture_output=True, text=True, timeout=60)
        assert second.returncode != 0
        assert_equal(second.stderr, "Error: Cannot obtain a lock on directory %s. Cairn is probably already running.\n" % node.chain_dir)


if __name__ == "__main__":
    ConfigTest().main()

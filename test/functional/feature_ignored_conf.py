#!/usr/bin/env python3
"""A bitcoin.conf in the data directory that is not the configuration file
in use is an error, as in Bitcoin Core (since v28): -conf names another
file. -allowignoredconf makes it a warning in the log, -noconf is only
logged, and the datadir's own cairn.conf (which Cairn prefers) is not
"another" file."""

import os
import shutil

from test_framework.test_framework import CairnTestFramework
from test_framework.util import assert_equal


class IgnoredConfTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1

    def run_test(self):
        node = self.nodes[0]
        node.stop_node()
        datadir = node.datadir
        cairn_conf = os.path.join(datadir, "cairn.conf")
        bitcoin_conf = os.path.join(datadir, "bitcoin.conf")
        other = os.path.join(datadir, "other.conf")
        shutil.copy(cairn_conf, other)

        self.log.info("bitcoin.conf beside the cairn.conf in use: not an error")
        with open(bitcoin_conf, "w", encoding="utf8") as f:
            f.write("# a bitcoind leftover\n")
        node.start()
        node.stop_node()

        self.log.info("-conf names another file: Core's error, with its three ways out")
        node.assert_start_raises_init_error(
            ["-conf=" + other],
            'Error: Data directory "%s" contains a "bitcoin.conf" file which is ignored, because a different '
            'configuration file "%s" from command line argument "-conf=%s" is being used instead.' % (datadir, other, other),
            match="partial")
        stderr = node.read_stderr()
        assert "- Set allowignoredconf=1 option to treat this condition as a warning, not an error." in stderr, stderr

        self.log.info("-allowignoredconf: a warning in the log, and the node starts")
        with node.assert_debug_log(['Warning: Data directory "%s" contains a "bitcoin.conf" file which is ignored'
                                    % datadir]):
            node.start(["-conf=" + other, "-allowignoredconf"])
        assert_equal(node.getblockcount(), 0)
        node.stop_node()


if __name__ == "__main__":
    IgnoredConfTest().main()

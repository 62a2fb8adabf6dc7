// fairwayctl: the command-line client of fairwayd. All logic is in FairwayClient.

import FairwayClient
import Glibc

exit(FairwayCtl.run(Array(CommandLine.arguments.dropFirst())))

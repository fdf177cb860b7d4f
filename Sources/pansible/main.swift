import CLI
import Foundation

exit(await PansibleCommand.runMain())

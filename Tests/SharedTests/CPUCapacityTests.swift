import Testing

@testable import Shared

@Suite struct CPUCapacityTests {
    @Test func readsTheCgroupV1Quota() {
        let files = [
            "/sys/fs/cgroup/cpu/bench/w1/cpu.cfs_quota_us": "25000\n", "/sys/fs/cgroup/cpu/bench/w1/cpu.cfs_period_us": "100000\n",
        ]
        let cgroup = "4:memory:/x\n1:cpu:/bench/w1\n0::/\n"
        #expect(CPUCapacity.quota(cgroupFile: cgroup, read: { files[$0] }) == 0.25)
        // No quota: -1.
        let unlimited = ["/sys/fs/cgroup/cpu/cpu.cfs_quota_us": "-1\n", "/sys/fs/cgroup/cpu/cpu.cfs_period_us": "100000\n"]
        #expect(CPUCapacity.quota(cgroupFile: "1:cpu:/\n", read: { unlimited[$0] }) == nil)
    }

    @Test func readsTheCgroupV2Quota() {
        let files = ["/sys/fs/cgroup/job/cpu.max": "250000 100000\n"]
        #expect(CPUCapacity.quota(cgroupFile: "0::/job\n", read: { files[$0] }) == 2.5)
        #expect(CPUCapacity.quota(cgroupFile: "0::/job\n", read: { _ in "max 100000\n" }) == nil)
        #expect(CPUCapacity.quota(cgroupFile: nil, read: { _ in nil }) == nil)
    }

    @Test func countsTheAllowedProcessors() {
        #expect(CPUCapacity.allowedProcessors(status: "Name:\tx\nCpus_allowed_list:\t0-3,6\n") == 5)
        #expect(CPUCapacity.allowedProcessors(status: "Cpus_allowed_list:\t1\n") == 1)
        #expect(CPUCapacity.allowedProcessors(status: "Name:\tx\n") == nil)
    }

    @Test(arguments: [(8, nil as Double?, 8), (8, 0.25, 1), (8, 2.5, 2), (2, 16.0, 2), (0, nil, 1)])
    func slotsAreWholeCoresAtLeastOne(_ online: Int, _ quota: Double?, _ slots: Int) {
        #expect(CPUCapacity(online: online, quota: quota).slots == slots)
    }
}

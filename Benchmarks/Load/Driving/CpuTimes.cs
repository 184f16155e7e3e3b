namespace Benchmarks.Load.Driving;

/// <summary>
/// CPU time so far, from /proc (Linux; in clock ticks): this process's own, plus that of its
/// children it has waited for (a wrk run, once it exited), and the whole machine's, busy and in all.
/// The difference of two samples tells the load client's share of a phase.
/// </summary>
internal readonly record struct CpuTimes(long Client, long MachineBusy, long MachineTotal)
{
    public static CpuTimes Now()
    {
        if (!File.Exists("/proc/stat"))
        {
            return default;
        }

        // /proc/self/stat: the command name (field 2) may hold spaces, so count from its closing ')'.
        // After it: state is field 3; utime, stime, cutime, cstime are fields 14-17.
        var self = File.ReadAllText("/proc/self/stat");
        var fields = self[(self.LastIndexOf(')') + 2)..].Split(' ');
        var client = fields[11..15].Sum(long.Parse);

        // The first line of /proc/stat: "cpu  user nice system idle iowait irq softirq steal ...".
        var machine = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..9].Select(long.Parse).ToArray();
        var total = machine.Sum();
        return new CpuTimes(client, total - machine[3] - machine[4], total);
    }

    public static CpuTimes operator -(CpuTimes after, CpuTimes before) =>
        new(after.Client - before.Client, after.MachineBusy - before.MachineBusy, after.MachineTotal - before.MachineTotal);

    public static CpuTimes operator +(CpuTimes left, CpuTimes right) =>
        new(left.Client + right.Client, left.MachineBusy + right.MachineBusy, left.MachineTotal + right.MachineTotal);

    /// <summary>The client's share of the CPU the machine spent (services, client, and whatever else ran).</summary>
    public double ClientShareOfBusy => MachineBusy > 0 ? (double)Client / MachineBusy : double.NaN;

    /// <summary>The client's share of all the machine's CPU, idle included.</summary>
    public double ClientShareOfMachine => MachineTotal > 0 ? (double)Client / MachineTotal : double.NaN;

    /// <summary>How busy the machine was.</summary>
    public double Busy => MachineTotal > 0 ? (double)MachineBusy / MachineTotal : double.NaN;
}

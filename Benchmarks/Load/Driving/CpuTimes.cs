namespace Benchmarks.Load.Driving;

/// <summary>
/// CPU time so far, in seconds, from /proc (Linux): the load client's (this process's own, plus
/// that of its children it has waited for: a wrk run, once it exited), the measured services', and
/// the whole machine's, busy and in all. The difference of two samples tells the client's share of
/// a phase: of the CPU the chain took (client and services), which other work on a shared machine
/// does not dilute, and of the machine's busy CPU.
/// </summary>
internal readonly record struct CpuTimes(double Client, double Services, double MachineBusy, double MachineTotal)
{
    // /proc reports CPU time in USER_HZ, 100 a second on Linux whatever the kernel's own tick.
    private const double TicksPerSecond = 100;

    public static CpuTimes Now(IEnumerable<TimeSpan> servicesSoFar)
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
        return new CpuTimes(
            client / TicksPerSecond, servicesSoFar.Sum(time => time.TotalSeconds), (total - machine[3] - machine[4]) / TicksPerSecond, total / TicksPerSecond);
    }

    public static CpuTimes operator -(CpuTimes after, CpuTimes before) =>
        new(after.Client - before.Client, after.Services - before.Services, after.MachineBusy - before.MachineBusy, after.MachineTotal - before.MachineTotal);

    public static CpuTimes operator +(CpuTimes left, CpuTimes right) =>
        new(left.Client + right.Client, left.Services + right.Services, left.MachineBusy + right.MachineBusy, left.MachineTotal + right.MachineTotal);

    /// <summary>The client's share of the CPU the chain took: the client's and its services'.</summary>
    public double ClientShareOfChain => Client + Services > 0 ? Client / (Client + Services) : double.NaN;

    /// <summary>The client's share of the CPU the machine spent (services, client, and whatever else ran).</summary>
    public double ClientShareOfBusy => MachineBusy > 0 ? Client / MachineBusy : double.NaN;

    /// <summary>How busy the machine was.</summary>
    public double Busy => MachineTotal > 0 ? MachineBusy / MachineTotal : double.NaN;
}

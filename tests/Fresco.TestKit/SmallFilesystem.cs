using System.Diagnostics;
using Xunit;

namespace Fresco.TestKit;

/// <summary>
/// A size-limited tmpfs mounted on a fresh temporary folder (needs root on Linux), unmounted and deleted on dispose, for
/// tests that fill a disk. Where it cannot be mounted the test is skipped with the reason; under <c>CI=true</c> it fails
/// instead (CI runs as root). Not thread-safe.
/// </summary>
public sealed class SmallFilesystem : IDisposable
{
    private SmallFilesystem(string path) => Path = path;

    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="bytes"/> (rounded up to pages by the kernel).</summary>
    public static SmallFilesystem Mount(long bytes)
    {
        var path = Directory.CreateTempSubdirectory("fresco-small-fs-").FullName;
        string? failure = null;
        if (!OperatingSystem.IsLinux())
        {
            failure = "a size-limited tmpfs needs Linux";
        }
        else if (Run("mount", "-t", "tmpfs", "-o", $"size={bytes}", "tmpfs", path) is { } error)
        {
            failure = $"cannot mount a tmpfs (root is needed): {error}";
        }
        if (failure is null)
        {
            return new SmallFilesystem(path);
        }
        Directory.Delete(path);
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail("the disk-full tests must run under CI=true: " + failure);
        }
        Assert.Skip(failure);
        throw new UnreachableException();
    }

    public void Dispose()
    {
        // A lazy unmount still detaches the folder if a file in it is open (a test that failed half-way).
        if (Run("umount", Path) is not null)
        {
            Run("umount", "-l", Path);
        }
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Runs a command; null when it succeeded, else its error output.</summary>
    private static string? Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        try
        {
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? null : $"{file} exited with {process.ExitCode}: {error.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return e.Message;
        }
    }
}

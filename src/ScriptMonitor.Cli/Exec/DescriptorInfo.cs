namespace ScriptMonitor.Cli.Exec;

/// <summary>What an open descriptor refers to: its kind, identity and size (<c>statx</c>, one layout on every architecture).</summary>
internal readonly record struct DescriptorInfo(int Mode, ulong Device, ulong Inode, long Size)
{
    internal bool IsRegularFile => (Mode & LibC.FileTypeMask) == LibC.RegularFile;

    /// <summary>Whether two descriptors refer to the same file, pipe or socket (<c>&gt;log 2&gt;&amp;1</c>, <c>2&gt;&amp;1 | mail</c>).</summary>
    internal bool SameObject(DescriptorInfo other) => Device == other.Device && Inode == other.Inode;

    internal static unsafe DescriptorInfo? Of(int descriptor)
    {
        var buffer = stackalloc byte[LibC.StatxSize];
        new Span<byte>(buffer, LibC.StatxSize).Clear();
        if (LibC.Statx(descriptor, string.Empty, LibC.StatxEmptyPath, LibC.StatxBasicStats, buffer) != 0)
        {
            return null;
        }

        var device = ((ulong)*(uint*)(buffer + LibC.StatxDeviceMajorOffset) << 32) | *(uint*)(buffer + LibC.StatxDeviceMinorOffset);
        return new DescriptorInfo(
            *(ushort*)(buffer + LibC.StatxModeOffset),
            device,
            *(ulong*)(buffer + LibC.StatxInodeOffset),
            (long)*(ulong*)(buffer + LibC.StatxSizeOffset));
    }
}

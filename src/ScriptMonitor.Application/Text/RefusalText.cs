namespace ScriptMonitor.Application.Text;

/// <summary>
/// The sentence of a refusal that carries no field errors (a malformed store setting): <see cref="ArgumentException.Message"/>
/// appends the parameter's name to the sentence the refusal was made with, which names its setting already.
/// </summary>
public static class RefusalText
{
    /// <summary>The sentence the refusal was made with, without the parameter appended to it.</summary>
    /// <param name="refusal">The refusal.</param>
    public static string Sentence(ArgumentException refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        var suffix = refusal.ParamName is null ? null : $" (Parameter '{refusal.ParamName}')";
        return suffix is not null && refusal.Message.EndsWith(suffix, StringComparison.Ordinal) ? refusal.Message[..^suffix.Length] : refusal.Message;
    }
}

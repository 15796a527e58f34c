namespace ScriptMonitor.Runs;

/// <summary>
/// The broken rules of one object, collected while every field is checked, so that a caller learns all of them at
/// once rather than one per attempt.
/// </summary>
internal sealed class FieldErrorList
{
    private List<FieldError>? _errors;

    /// <summary>Whether any rule is broken so far.</summary>
    internal bool Any => _errors is not null;

    /// <summary>Adds a broken rule; a null is a field that passed.</summary>
    /// <returns>True when it was a broken rule.</returns>
    internal bool Add(FieldError? error)
    {
        if (error is null)
        {
            return false;
        }

        (_errors ??= []).Add(error);
        return true;
    }

    /// <summary>Throws a <see cref="ValidationException"/> with every broken rule, if there is one.</summary>
    internal void ThrowIfAny()
    {
        if (_errors is not null)
        {
            throw new ValidationException(_errors);
        }
    }
}

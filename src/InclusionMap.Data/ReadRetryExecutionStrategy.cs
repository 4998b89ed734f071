using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace InclusionMap.Data;

/// <summary>
/// EF Core's execution strategy for the API's read-only contexts: a query whose connection broke runs once more on a
/// fresh connection, at once, after <see cref="ReadRetry"/> cleared the pool and waited for the database. Because it
/// may retry, EF Core reads a query's rows whole before handing any out, so a retry never repeats a row. It never
/// retries while the context has changes to save (a write), and EF Core refuses user transactions with it.
/// </summary>
public sealed class ReadRetryExecutionStrategy(ExecutionStrategyDependencies dependencies, ReadRetry retry)
    : ExecutionStrategy(dependencies, maxRetryCount: 1, maxRetryDelay: TimeSpan.Zero)
{
    public override TResult Execute<TState, TResult>(TState state, Func<DbContext, TState, TResult> operation,
        Func<DbContext, TState, ExecutionResult<TResult>>? verifySucceeded)
    {
        var attempt = 0;
        return base.Execute(state, (context, s) =>
        {
            try
            {
                return operation(context, s);
            }
            catch (Exception e) when (attempt++ == 0 && ShouldRetryOn(e))
            {
                retry.Recover(e, waitForServer: true);
                throw;
            }
        }, verifySucceeded);
    }

    public override Task<TResult> ExecuteAsync<TState, TResult>(TState state,
        Func<DbContext, TState, CancellationToken, Task<TResult>> operation,
        Func<DbContext, TState, CancellationToken, Task<ExecutionResult<TResult>>>? verifySucceeded,
        CancellationToken cancellationToken = default)
    {
        var attempt = 0;
        return base.ExecuteAsync(state, async (context, s, ct) =>
        {
            try
            {
                return await operation(context, s, ct);
            }
            catch (Exception e) when (attempt++ == 0 && ShouldRetryOn(e) && !ct.IsCancellationRequested)
            {
                // The base strategy retries at once (its first delay is zero) once this wait is over.
                await retry.RecoverAsync(e, waitForServer: true, ct);
                throw;
            }
        }, verifySucceeded, cancellationToken);
    }

    protected override bool ShouldRetryOn(Exception? exception) =>
        ReadRetry.IsBrokenConnection(exception) && !Dependencies.CurrentContext.Context.ChangeTracker.HasChanges();
}

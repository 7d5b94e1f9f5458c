namespace Fresco.Server.Contracts;

/// <summary>What the dashboard's page needs before it calls the API: whether it must ask for the API key. Immutable value.</summary>
public sealed record DashboardSettings(bool SignIn);

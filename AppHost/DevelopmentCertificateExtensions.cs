namespace Aspire.Hosting;

internal static class DevelopmentCertificateExtensions
{
    /// <summary>
    /// The service is not handed the ASP.NET Core development certificate. Locally every service
    /// listens on plain http on loopback, so none needs it; Aspire still gives every project one by
    /// default and, on a machine that trusts none (any fresh Linux machine), greets the first run
    /// with a red "no trusted development certificate" error in the dashboard. Deployed, TLS ends
    /// at the platform's ingress, with certificates of its own.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithoutDevelopmentCertificate(this IResourceBuilder<ProjectResource> project)
    {
        // Marked for evaluation in Aspire 13.6 (ASPIRECERTIFICATES001); it is the one way to say a
        // project serves no https, and a change to it would fail this build, not pass silently.
#pragma warning disable ASPIRECERTIFICATES001
        return project.WithoutHttpsCertificate();
#pragma warning restore ASPIRECERTIFICATES001
    }
}

using System.Reflection;
using System.Runtime.CompilerServices;
using Mono.Cecil;
using NetArchTest.Rules;

namespace Tests.Architecture;

/// <summary>
/// The library's layers, and that their dependencies point one way: Core (namespace JwtPropagation:
/// the caller's token, its context, shared settings and exceptions) depends on no other layer;
/// Telemetry on Core only; Incoming (validation, revocation, scopes) and Outgoing (propagation,
/// exchange, delegation) on Core and Telemetry, never on each other. The public extension classes
/// live in the namespaces their callers already use (Microsoft.Extensions.Hosting, ...), so each
/// is counted with the layer it belongs to, by name.
/// </summary>
public sealed class LayerTests
{
    private const string Core = "JwtPropagation";
    private const string Telemetry = "JwtPropagation.Telemetry";
    private const string Incoming = "JwtPropagation.Incoming";
    private const string Outgoing = "JwtPropagation.Outgoing";

    private static readonly Assembly Library = typeof(CallerToken).Assembly;

    /// <summary>The extension classes outside the layers' namespaces, by the layer they belong to.</summary>
    private static readonly Dictionary<string, string[]> ExtensionClasses = new()
    {
        [Core] = [],
        [Telemetry] = ["TokenTelemetryExtensions"],
        [Incoming] = ["JwtBearerAuthenticationExtensions", "ScopeAuthorizationExtensions"],
        [Outgoing] = ["TokenPropagationExtensions", "TokenDelegationExtensions"],
    };

    [Fact]
    public void Core_depends_on_no_other_layer() =>
        AssertDependsOnNone(Core, Telemetry, Incoming, Outgoing);

    [Fact]
    public void Telemetry_depends_on_Core_only() =>
        AssertDependsOnNone(Telemetry, Incoming, Outgoing);

    [Fact]
    public void Incoming_does_not_depend_on_Outgoing() =>
        AssertDependsOnNone(Incoming, Outgoing);

    [Fact]
    public void Outgoing_does_not_depend_on_Incoming() =>
        AssertDependsOnNone(Outgoing, Incoming);

    [Fact]
    public void Every_type_of_the_library_is_in_one_of_the_four_layers()
    {
        string[] layers = [Core, Telemetry, Incoming, Outgoing];
        var extensionClasses = ExtensionClasses.Values.SelectMany(names => names).ToHashSet();

        var strays = Library.GetTypes()
            .Where(type => !type.IsNested && !type.IsDefined(typeof(CompilerGeneratedAttribute)) && !IsGeneratedCode(type))
            .Where(type => !layers.Contains(type.Namespace) && !extensionClasses.Contains(type.Name))
            .Select(type => type.FullName)
            .ToList();

        Assert.Empty(strays);
        // Each named extension class exists, and only as a static class of extension methods.
        Assert.All(extensionClasses, name => Assert.Single(Library.GetTypes(), type => type.Name == name && type is { IsAbstract: true, IsSealed: true }));
    }

    /// <summary>The regular expressions' source generator puts its types in a namespace of its own.</summary>
    private static bool IsGeneratedCode(Type type) =>
        type.Namespace == "System.Text.RegularExpressions.Generated"
        || type.IsDefined(typeof(System.CodeDom.Compiler.GeneratedCodeAttribute));

    private static void AssertDependsOnNone(string layer, params string[] others)
    {
        var result = Types.InAssembly(Library)
            .That().MeetCustomRule(new InLayer(layer, ExtensionClasses[layer]))
            .ShouldNot().HaveDependencyOnAny(others)
            .GetResult();

        Assert.True(result.IsSuccessful,
            $"{layer} depends on {string.Join(" or ", others)}: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    /// <summary>
    /// The types of a layer, nested ones too (whose own namespace is empty in IL, so that
    /// <c>ResideInNamespace</c> would miss what they depend on): by the type they are declared in.
    /// </summary>
    private sealed class InLayer(string layer, string[] extensionClasses) : ICustomRule
    {
        public bool MeetsRule(TypeDefinition type)
        {
            var outermost = type;
            while (outermost.DeclaringType is { } declaring)
            {
                outermost = declaring;
            }

            return outermost.Namespace == layer || extensionClasses.Contains(outermost.Name);
        }
    }
}

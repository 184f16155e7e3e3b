// The JwtPropagation library's layers: its core (JwtPropagation) and the namespaces below it.
global using JwtPropagation;
global using JwtPropagation.Incoming;
global using JwtPropagation.Outgoing;
global using JwtPropagation.Telemetry;

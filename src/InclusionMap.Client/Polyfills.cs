// The schema's DateOnly scalar: System.DateOnly where the framework has it, a DateTime (at midnight) on netstandard2.0.
#if NET6_0_OR_GREATER
global using SchemaDate = System.DateOnly;
#else
global using SchemaDate = System.DateTime;
#endif

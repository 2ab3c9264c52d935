// The documents the engine runs (pipelines, channels, entity links) are read by the workspace
// layer, the same reader `check` uses; users of the engine get them with `import ReverseSync`.
@_exported import TemplateWorkspace

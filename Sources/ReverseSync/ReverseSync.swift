public enum ReverseSyncInfo {}

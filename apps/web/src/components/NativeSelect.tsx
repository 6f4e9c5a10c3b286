export interface NativeOption {
  readonly value: string;
  readonly label: string;
}

/**
 * A native select that works as an antd Form field (the Form passes value and onChange) or on its own.
 * Keyboard and screen readers know it, and antd's Select would add ~25 kB gzip to the page's first load.
 */
export function NativeSelect({
  id,
  value,
  onChange,
  options,
  placeholder,
  label,
  width,
}: {
  id?: string;
  value?: string;
  onChange?: (value: string) => void;
  options: readonly NativeOption[];
  /** An empty first option (e.g. "all roles"); without it the select always has a value. */
  placeholder?: string;
  /** An accessible name when no visible label points at the select. */
  label?: string;
  width?: number;
}) {
  return (
    <select
      id={id}
      aria-label={label}
      className="native-select"
      style={width ? { width } : undefined}
      value={value ?? ''}
      onChange={(event) => onChange?.(event.target.value)}
    >
      {placeholder !== undefined && <option value="">{placeholder}</option>}
      {options.map((option) => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </select>
  );
}

# Descriptive statistics over arrays of numbers.
module Stats
  def self.mean(values)
    return nil if values.empty?

    values.sum.to_f / values.size
  end

  def self.median(values)
    return nil if values.empty?

    sorted = values.sort
    mid = sorted.size / 2
    sorted.size.odd? ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0
  end
end

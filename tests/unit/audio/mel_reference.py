"""Independent reference for Wav2Lip's mel spectrogram, written with numpy only.

It follows librosa 0.7's documented algorithms (stft with centre/reflect
padding, filters.mel with Slaney scale and area normalisation) and Wav2Lip's
audio.py hyper-parameters, without importing either.

usage: mel_reference.py IN.f32 OUT.f32   (raw little-endian float32 samples at
16 kHz in; raw float32 80 x T row-major out)
"""
import sys

import numpy as np


def hz_to_mel(f):
    f = np.asanyarray(f, dtype=np.float64)
    f_sp = 200.0 / 3
    mels = f / f_sp
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    log_t = f >= min_log_hz
    mels = np.where(log_t, min_log_mel + np.log(np.maximum(f, 1e-10) / min_log_hz) / logstep, mels)
    return mels


def mel_to_hz(m):
    m = np.asanyarray(m, dtype=np.float64)
    f_sp = 200.0 / 3
    freqs = f_sp * m
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    log_t = m >= min_log_mel
    return np.where(log_t, min_log_hz * np.exp(logstep * (m - min_log_mel)), freqs)


def mel_filters(sr=16000, n_fft=800, n_mels=80, fmin=55.0, fmax=7600.0):
    fft_freqs = np.linspace(0, sr / 2.0, 1 + n_fft // 2)
    edges = mel_to_hz(np.linspace(hz_to_mel(fmin), hz_to_mel(fmax), n_mels + 2))
    diffs = np.diff(edges)
    ramps = edges[:, None] - fft_freqs[None, :]
    weights = np.zeros((n_mels, len(fft_freqs)))
    for i in range(n_mels):
        lower = -ramps[i] / diffs[i]
        upper = ramps[i + 2] / diffs[i + 1]
        weights[i] = np.maximum(0, np.minimum(lower, upper))
    weights *= (2.0 / (edges[2:n_mels + 2] - edges[:n_mels]))[:, None]
    return weights


def wav2lip_mel(x):
    x = x.astype(np.float64)
    y = np.concatenate([x[:1], x[1:] - 0.97 * x[:-1]])
    n_fft, hop = 800, 200
    y = np.pad(y, n_fft // 2, mode="reflect")
    n_frames = 1 + (len(y) - n_fft) // hop
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n_fft) / n_fft)
    idx = np.arange(n_fft)[None, :] + hop * np.arange(n_frames)[:, None]
    spec = np.abs(np.fft.rfft(y[idx] * window[None, :], axis=1)).T  # (401, T)
    mel = mel_filters() @ spec
    db = 20 * np.log10(np.maximum(1e-5, mel)) - 20
    return np.clip(8 * (db + 100) / 100 - 4, -4, 4)


def main():
    x = np.fromfile(sys.argv[1], dtype="<f4")
    wav2lip_mel(x).astype("<f4").tofile(sys.argv[2])


if __name__ == "__main__":
    main()

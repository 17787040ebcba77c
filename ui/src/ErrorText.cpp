#include "ErrorText.h"

#include "EngineTypes.h"

namespace studio {

QString ErrorText::headline(avatar::ErrorCode code) {
  using C = avatar::ErrorCode;
  switch (code) {
    case C::Ok:
      return tr("Done.");
    case C::InvalidArgument:
      return tr("A setting or input is not valid.");
    case C::InputNotFound:
      return tr("The file does not exist.");
    case C::InputNotReadable:
      return tr("The file cannot be read: it is a folder, or access is denied.");
    case C::InputEmpty:
      return tr("The file is empty.");
    case C::UnsupportedMedia:
      return tr("The file is not in a format Avatar Studio can read, or it is damaged.");
    case C::ImageTooLarge:
      return tr("The photo is too large. Use a photo of at most 16384 pixels on each side.");
    case C::NoAudioStream:
      return tr("The file contains no sound.");
    case C::AudioEmpty:
      return tr("The sound track is empty.");
    case C::OutputNotWritable:
      return tr("The video cannot be saved there: the folder is missing or not writable.");
    case C::OutputSameAsInput:
      return tr("The video would overwrite one of its inputs. Choose another file name.");
    case C::NoFaceDetected:
      return tr(
          "No face was found in the photo. Use a photo with one clearly visible, "
          "front-facing face.");
    case C::ModelMissing:
      return tr("A model this needs is not installed. Tools > Model Manager says how to get it.");
    case C::ModelInvalid:
      return tr(
          "A model file is damaged or does not match. Install it again (Tools > Model "
          "Manager).");
    case C::DeviceUnavailable:
      return tr("The chosen compute device is not available. Choose CPU or Auto.");
    case C::OutOfMemory:
      return tr("Out of memory. Try a smaller output size or the real-time quality mode.");
    case C::EncoderFailed:
      return tr("The video could not be encoded.");
    case C::Cancelled:
      return tr("Cancelled.");
    case C::Internal:
      return tr("An internal error occurred. Please report it with the details below.");
    case C::InputTooLarge:
      return tr("The file is larger than Avatar Studio accepts for it.");
    case C::InputTooLong:
      return tr("The speech is longer than the limit (4 hours by default).");
  }
  return tr("Unknown error (code %1).").arg(int(code));
}

QString ErrorText::detail(const avatar::Status& status) {
  return fromUtf8(status.message());
}

QString ErrorText::describe(const avatar::Status& status) {
  if (status.isOk()) return headline(avatar::ErrorCode::Ok);
  return headline(status.code()) + QLatin1Char('\n') + detail(status);
}

}  // namespace studio
